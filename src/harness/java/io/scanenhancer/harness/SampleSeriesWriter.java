package io.scanenhancer.harness;

import io.scanenhancer.cli.Args;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.dicom.DerivedUids;
import io.scanenhancer.dicom.Dicom;
import io.scanenhancer.volume.NiftiVolume;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Writes the sample series samples/mr-t1-colin27: axial slices of Debian mricron-data's Colin 27 T1 template
 * (ch2.nii.gz) as MR Image Storage objects with the template's real geometry. Deterministic: the same volume gives
 * byte-identical files (fixed UIDs derived from names, no dates).
 *
 * <p>The NIfTI sform maps voxels to RAS+ millimetres; DICOM patient coordinates are LPS+, so x and y change sign.
 * Rows and columns are flipped so that the images have the usual axial orientation 1\0\0\0\1\0 (row direction
 * towards the patient's left, column direction towards posterior).
 */
public final class SampleSeriesWriter {
    public static final Path DEFAULT_VOLUME = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
    public static final Path DEFAULT_OUTPUT = Path.of("samples/mr-t1-colin27");
    /** Axial slices k = 60, 65, ..., 115: through the brain from the skull base to the upper ventricles. */
    public static final int FIRST_SLICE = 60;
    public static final int SLICE_STEP = 5;
    public static final int SLICE_COUNT = 12;
    static final String MR_IMAGE_STORAGE = com.pixelmed.dicom.SOPClass.MRImageStorage;

    private SampleSeriesWriter() {
    }

    public static void main(String[] argv) {
        System.exit(Args.spec("sample-series-writer", "writes the committed sample MR series from a NIfTI volume")
                .text("volume", DEFAULT_VOLUME.toString(), "NIfTI volume")
                .text("out", DEFAULT_OUTPUT.toString(), "output folder")
                .run(argv, args -> {
                    List<Path> written = write(args.path("volume"), args.path("out"));
                    System.out.println("wrote " + written.size() + " MR images to " + args.path("out"));
                    return 0;
                }));
    }

    public static List<Path> write(Path niftiFile, Path outDir) throws IOException {
        NiftiVolume v = NiftiVolume.read(niftiFile);
        double[][] srow = sform(niftiFile);
        Files.createDirectories(outDir);
        List<Path> files = new ArrayList<>();
        for (int n = 0; n < SLICE_COUNT; n++) {
            int k = FIRST_SLICE + n * SLICE_STEP;
            byte[] part10 = slice(v, srow, k, n + 1);
            Path f = outDir.resolve(String.format("IMG%04d.dcm", n + 1));
            Files.write(f, part10);
            files.add(f);
        }
        return files;
    }

    /** Patient (LPS) coordinates of voxel (i, j, k). */
    static double[] lps(double[][] srow, double i, double j, double k) {
        double[] ras = new double[3];
        for (int r = 0; r < 3; r++) {
            ras[r] = srow[r][0] * i + srow[r][1] * j + srow[r][2] * k + srow[r][3];
        }
        return new double[] {-ras[0], -ras[1], ras[2]};
    }

    static byte[] slice(NiftiVolume v, double[][] srow, int k, int instanceNumber) {
        int nx = v.nx(), ny = v.ny();
        // Image pixel (row r, column c) is voxel (nx-1-c, ny-1-r, k).
        short[] pixels = new short[nx * ny];
        for (int r = 0; r < ny; r++) {
            for (int c = 0; c < nx; c++) {
                float x = v.get(nx - 1 - c, ny - 1 - r, k);
                pixels[r * nx + c] = (short) Math.max(0, Math.min(4095, Math.round(x)));
            }
        }
        double[] first = lps(srow, nx - 1, ny - 1, k);
        double[] nextColumn = lps(srow, nx - 2, ny - 1, k);
        double[] nextRow = lps(srow, nx - 1, ny - 2, k);
        double[] rowDir = unit(minus(nextColumn, first));
        double[] colDir = unit(minus(nextRow, first));
        double columnSpacing = norm(minus(nextColumn, first));
        double rowSpacing = norm(minus(nextRow, first));
        double sliceThickness = norm(minus(lps(srow, 0, 0, 1), lps(srow, 0, 0, 0)));
        try {
            AttributeList a = new AttributeList();
            String study = DerivedUids.uid(null, "sample", "colin27", "study");
            String series = DerivedUids.uid(null, "sample", "colin27", "series", "t1");
            String instance = DerivedUids.uid(null, "sample", "colin27", "instance", Integer.toString(k));
            Dicom.put(a, TagFromName.SOPClassUID, MR_IMAGE_STORAGE);
            Dicom.put(a, TagFromName.SOPInstanceUID, instance);
            // Patient: a public template built from 27 scans of one consenting volunteer, not a clinical record.
            Dicom.put(a, TagFromName.PatientName, "Colin27^Template");
            Dicom.put(a, TagFromName.PatientID, "COLIN27");
            Dicom.put(a, TagFromName.PatientBirthDate);
            Dicom.put(a, TagFromName.PatientSex, "M");
            Dicom.put(a, TagFromName.StudyInstanceUID, study);
            Dicom.put(a, TagFromName.StudyDate);
            Dicom.put(a, TagFromName.StudyTime);
            Dicom.put(a, TagFromName.ReferringPhysicianName);
            Dicom.put(a, TagFromName.StudyID, "COLIN27");
            Dicom.put(a, TagFromName.AccessionNumber);
            Dicom.put(a, TagFromName.StudyDescription, "Sample: Colin 27 T1 template (MNI), axial slices");
            Dicom.put(a, TagFromName.Modality, "MR");
            Dicom.put(a, TagFromName.SeriesInstanceUID, series);
            Dicom.put(a, TagFromName.SeriesNumber, "1");
            Dicom.put(a, TagFromName.SeriesDescription, "T1 3D spoiled GRE, Colin 27 average of 27 scans");
            Dicom.put(a, TagFromName.BodyPartExamined, "HEAD");
            Dicom.put(a, TagFromName.PatientPosition, "HFS");
            Dicom.put(a, TagFromName.FrameOfReferenceUID, DerivedUids.uid(null, "sample", "colin27", "frame-of-reference"));
            Dicom.put(a, TagFromName.PositionReferenceIndicator);
            Dicom.put(a, TagFromName.Manufacturer, "Scan Enhancer");
            Dicom.put(a, TagFromName.ManufacturerModelName, "SampleSeriesWriter");
            Dicom.put(a, TagFromName.SoftwareVersions, "1");
            Dicom.put(a, TagFromName.InstanceNumber, Integer.toString(instanceNumber));
            Dicom.put(a, TagFromName.PatientOrientation);
            // The template is an average of 27 registered acquisitions: derived, primary.
            Dicom.put(a, TagFromName.ImageType, "DERIVED", "PRIMARY", "OTHER");
            Dicom.put(a, TagFromName.BurnedInAnnotation, "NO");
            Dicom.put(a, TagFromName.LossyImageCompression, "00");
            Dicom.putDecimals(a, TagFromName.ImagePositionPatient, first);
            Dicom.putDecimals(a, TagFromName.ImageOrientationPatient, rowDir[0], rowDir[1], rowDir[2], colDir[0], colDir[1], colDir[2]);
            Dicom.putDecimals(a, TagFromName.PixelSpacing, rowSpacing, columnSpacing);
            Dicom.putDecimals(a, TagFromName.SliceThickness, sliceThickness);
            Dicom.putDecimals(a, TagFromName.SpacingBetweenSlices, sliceThickness * SLICE_STEP);
            Dicom.putDecimals(a, TagFromName.SliceLocation, first[2]);
            // Published Colin 27 protocol (Holmes et al. 1998): Philips 1.5 T, T1-weighted 3D spoiled gradient echo.
            Dicom.put(a, new AttributeTag(0x0018, 0x0020), "GR");
            Dicom.put(a, new AttributeTag(0x0018, 0x0021), "SP");
            Dicom.put(a, new AttributeTag(0x0018, 0x0022));
            Dicom.put(a, TagFromName.MRAcquisitionType, "3D");
            Dicom.put(a, TagFromName.RepetitionTime, "18");
            Dicom.put(a, TagFromName.EchoTime, "10");
            Dicom.put(a, TagFromName.EchoTrainLength, "1");
            Dicom.put(a, new AttributeTag(0x0018, 0x1314), "30");
            Dicom.put(a, new AttributeTag(0x0018, 0x0087), "1.5");
            Dicom.put(a, TagFromName.ImagedNucleus, "1H");
            Dicom.put(a, TagFromName.SamplesPerPixel, "1");
            Dicom.put(a, TagFromName.PhotometricInterpretation, "MONOCHROME2");
            Dicom.put(a, TagFromName.Rows, Integer.toString(ny));
            Dicom.put(a, TagFromName.Columns, Integer.toString(nx));
            Dicom.put(a, TagFromName.BitsAllocated, "16");
            Dicom.put(a, TagFromName.BitsStored, "12");
            Dicom.put(a, TagFromName.HighBit, "11");
            Dicom.put(a, TagFromName.PixelRepresentation, "0");
            Dicom.put(a, TagFromName.WindowCenter, "100");
            Dicom.put(a, TagFromName.WindowWidth, "200");
            OtherWordAttribute px = new OtherWordAttribute(TagFromName.PixelData);
            px.setValues(pixels);
            a.put(px);
            FileMetaInformation.addFileMetaInformation(a, com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, "SCANENHANCER");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.write(bytes, com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, true, true);
            return bytes.toByteArray();
        } catch (DicomException | IOException e) {
            throw new IllegalStateException("cannot write sample slice " + k + ": " + e.getMessage(), e);
        }
    }

    /** The NIfTI-1 sform rows (srow_x, srow_y, srow_z); NiftiVolume reads voxels only. */
    static double[][] sform(Path niftiFile) throws IOException {
        byte[] h;
        try (InputStream raw = Files.newInputStream(niftiFile);
             InputStream in = niftiFile.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            h = in.readNBytes(348);
        }
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 348) {
            b.order(ByteOrder.BIG_ENDIAN);
        }
        if (h.length < 348 || b.getInt(0) != 348) {
            throw new IOException("not a NIfTI-1 header: " + niftiFile);
        }
        if (b.getShort(254) <= 0) {
            throw new IOException("the volume has no sform; the sample needs real patient geometry");
        }
        double[][] s = new double[3][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                s[r][c] = b.getFloat(280 + 16 * r + 4 * c);
            }
        }
        return s;
    }

    private static double[] minus(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static double norm(double[] a) {
        return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    }

    private static double[] unit(double[] a) {
        double n = norm(a);
        return new double[] {a[0] / n, a[1] / n, a[2] / n};
    }
}
