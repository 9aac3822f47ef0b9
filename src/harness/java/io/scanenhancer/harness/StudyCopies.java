package io.scanenhancer.harness;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Many studies out of the sample series: its first slices under new study, series and instance UIDs, so a replica
 * test or bench has as many distinct studies as it wants without patient data and without one study's derived series
 * standing in for another's.
 */
public final class StudyCopies {
    /** One copied study: one series of {@code files}. */
    public record Study(String studyInstanceUid, String seriesInstanceUid, List<Path> files) {
    }

    private StudyCopies() {
    }

    /** {@code count} studies of the first {@code slices} slices of the series in {@code samples}, written under {@code out}. */
    public static List<Study> write(Path samples, int count, int slices, Path out) throws IOException {
        List<Path> source;
        try (Stream<Path> s = Files.list(samples)) {
            source = s.filter(p -> p.toString().endsWith(".dcm")).sorted().limit(slices).toList();
        }
        if (source.size() < slices) {
            throw new IOException(samples + " holds " + source.size() + " slices, fewer than " + slices);
        }
        List<Study> studies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String study = newUid();
            String series = newUid();
            Path folder = Files.createDirectories(out.resolve("study-" + i));
            List<Path> files = new ArrayList<>();
            for (Path file : source) {
                try {
                    AttributeList list = new AttributeList();
                    list.read(file.toString());
                    list.remove(TagFromName.FileMetaInformationGroupLength);
                    put(list, TagFromName.StudyInstanceUID, study);
                    put(list, TagFromName.SeriesInstanceUID, series);
                    put(list, TagFromName.SOPInstanceUID, newUid());
                    FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "SCANENHANCER");
                    Path copy = folder.resolve(file.getFileName());
                    list.write(copy.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
                    files.add(copy);
                } catch (com.pixelmed.dicom.DicomException e) {
                    throw new IOException("cannot copy " + file + ": " + e.getMessage(), e);
                }
            }
            studies.add(new Study(study, series, files));
        }
        return studies;
    }

    private static void put(AttributeList list, com.pixelmed.dicom.AttributeTag tag, String uid) throws com.pixelmed.dicom.DicomException {
        Attribute a = new UniqueIdentifierAttribute(tag);
        a.addValue(uid);
        list.put(a);
    }

    private static String newUid() {
        UUID u = UUID.randomUUID();
        return "2.25." + new BigInteger(1, ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
    }
}
