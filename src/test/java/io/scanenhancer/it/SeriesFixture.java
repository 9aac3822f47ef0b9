package io.scanenhancer.it;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A small real MR series for the tests: pydicom's MR_small.dcm (64x64, real scanner data) repeated as slices of a
 * new study and series with their own UIDs, so every test class works on a study nobody else touches.
 */
public record SeriesFixture(String studyInstanceUid, String seriesInstanceUid, List<Path> files, int rows, int columns,
                            double[] pixelSpacing) {
    static final Path MR_SMALL = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm");

    public static SeriesFixture write(Path folder, int slices) throws Exception {
        return write(folder, slices, newUid());
    }

    /** A new series in the given study. */
    public static SeriesFixture write(Path folder, int slices, String study) throws Exception {
        Files.createDirectories(folder);
        String series = newUid();
        List<Path> files = new ArrayList<>();
        int rows = 0;
        int columns = 0;
        double[] spacing = null;
        for (int i = 0; i < slices; i++) {
            AttributeList list = new AttributeList();
            list.read(MR_SMALL.toString());
            list.remove(TagFromName.FileMetaInformationGroupLength);
            set(list, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), study);
            set(list, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), series);
            set(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), newUid());
            set(list, new IntegerStringAttribute(TagFromName.InstanceNumber), Integer.toString(i + 1));
            double[] position = Attribute.getDoubleValues(list, TagFromName.ImagePositionPatient);
            DecimalStringAttribute pos = new DecimalStringAttribute(TagFromName.ImagePositionPatient);
            pos.addValue(position[0]);
            pos.addValue(position[1]);
            pos.addValue(position[2] + 5.0 * i);
            list.put(pos);
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "SCANENHANCERTEST");
            Path file = folder.resolve(String.format("slice-%03d.dcm", i + 1));
            list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            files.add(file);
            rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
            columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
            spacing = Attribute.getDoubleValues(list, TagFromName.PixelSpacing);
        }
        return new SeriesFixture(study, series, files, rows, columns, spacing);
    }

    private static String newUid() {
        UUID u = UUID.randomUUID();
        BigInteger b = new BigInteger(1, java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
        return "2.25." + b;
    }

    private static void set(AttributeList list, Attribute a, String value) throws Exception {
        a.addValue(value);
        list.put(a);
    }
}
