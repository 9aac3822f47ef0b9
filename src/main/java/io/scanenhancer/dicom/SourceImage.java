package io.scanenhancer.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.dicom.RefusedInputException.Category;
import io.scanenhancer.image.FloatImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One input object, read and validated. Every check against the header's claims happens before the pixel data is
 * read, so a hostile header cannot make us allocate memory in proportion to what it claims.
 */
public final class SourceImage {
    /** Largest accepted input file; anything a scanner makes for one object is far below this. */
    public static final long MAX_FILE_BYTES = 1L << 30;
    public static final int MAX_EDGE = 4096;
    public static final int MAX_FRAMES = 4096;
    public static final long MAX_TOTAL_PIXELS = 1L << 26;

    private final byte[] part10;
    private final AttributeList header;
    private final String transferSyntaxUid;
    private final int rows;
    private final int columns;
    private final int frameCount;
    private final PixelFormat format;
    private final String photometric;
    private final int[][] stored;
    private final double[] slopes;
    private final double[] intercepts;
    private final Geometry[] geometry;
    private final long compressedBytes;

    private SourceImage(byte[] part10, DicomReading.Parsed parsed, PixelFormat format, int[][] stored) throws RefusedInputException {
        this.part10 = part10;
        this.header = parsed.header();
        this.transferSyntaxUid = parsed.transferSyntaxUid();
        this.rows = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.Rows, 0);
        this.columns = Attribute.getSingleIntegerValueOrDefault(header, TagFromName.Columns, 0);
        this.frameCount = stored.length;
        this.format = format;
        this.photometric = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.PhotometricInterpretation).strip();
        this.stored = stored;
        this.slopes = new double[frameCount];
        this.intercepts = new double[frameCount];
        this.geometry = new Geometry[frameCount];
        this.compressedBytes = parsed.pixelDataElement() == null ? 0 : parsed.pixelDataElement().fragmentBytes();
        for (int f = 0; f < frameCount; f++) {
            double[] rescale = FunctionalGroups.rescale(header, f);
            if (!Double.isFinite(rescale[0]) || rescale[0] == 0 || !Double.isFinite(rescale[1])) {
                throw new RefusedInputException(Category.INCONSISTENT, "Rescale Slope " + rescale[0] + " / Intercept " + rescale[1] + " is not usable");
            }
            slopes[f] = rescale[0];
            intercepts[f] = rescale[1];
            geometry[f] = Geometry.of(header, f);
        }
    }

    public static SourceImage read(Path file) throws RefusedInputException, IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new RefusedInputException(Category.TOO_LARGE, "file of " + size + " bytes exceeds the limit of " + MAX_FILE_BYTES + " bytes");
        }
        return read(Files.readAllBytes(file));
    }

    public static SourceImage read(byte[] part10) throws RefusedInputException {
        DicomReading.Parsed headerOnly = DicomReading.readHeader(part10);
        AttributeList h = headerOnly.header();
        ImageChecks.checkIsSupportedImage(h);
        ImageChecks.checkIdentity(h);
        if (headerOnly.pixelDataElement() == null) {
            throw new RefusedInputException(Category.NO_PIXEL_DATA, "no Pixel Data in the object");
        }
        PixelFormat format = ImageChecks.checkPixelFormat(h);
        int rows = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.Columns, 0);
        int frames = ImageChecks.checkDimensions(h, rows, columns);
        TransferSyntaxes.checkDecodable(headerOnly.transferSyntaxUid(), format);
        long claimed = (long) rows * columns * frames * (format.bitsAllocated() / 8);
        DicomReading.checkPixelDataLength(headerOnly, claimed);
        DicomReading.Parsed full = DicomReading.readAll(headerOnly);
        int[][] stored = PixelExtraction.frames(full.pixelData(), format, rows, columns, frames, full.parseSyntax());
        return new SourceImage(part10, headerOnly, format, stored);
    }

    public String studyInstanceUid() {
        return string(TagFromName.StudyInstanceUID);
    }

    public String seriesInstanceUid() {
        return string(TagFromName.SeriesInstanceUID);
    }

    public String sopInstanceUid() {
        return string(TagFromName.SOPInstanceUID);
    }

    public String sopClassUid() {
        return string(TagFromName.SOPClassUID);
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    public int frameCount() {
        return frameCount;
    }

    /** Real-world (modality) values of one frame: stored * slope + intercept. */
    public FloatImage frame(int index) {
        int[] s = stored[index];
        float[] out = new float[s.length];
        double m = slopes[index], b = intercepts[index];
        for (int i = 0; i < s.length; i++) {
            out[i] = (float) (s[i] * m + b);
        }
        return new FloatImage(rows, columns, out);
    }

    /** Stored pixel values of one frame, as read (sign-extended, masked to Bits Stored). */
    public int[] storedValues(int index) {
        return stored[index].clone();
    }

    public String modality() {
        return string(TagFromName.Modality);
    }

    public String photometricInterpretation() {
        return photometric;
    }

    public int bitsAllocated() {
        return format.bitsAllocated();
    }

    public int bitsStored() {
        return format.bitsStored();
    }

    public boolean signed() {
        return format.signed();
    }

    public double rescaleSlope(int frame) {
        return slopes[frame];
    }

    public double rescaleIntercept(int frame) {
        return intercepts[frame];
    }

    public String transferSyntaxUid() {
        return transferSyntaxUid;
    }

    /** Image Position (Patient) of the first transmitted pixel's centre, or null when the object has no plane geometry. */
    public double[] imagePositionPatient(int frame) {
        double[] p = geometry[frame].position();
        return p == null ? null : p.clone();
    }

    /** Image Orientation (Patient): row direction cosines then column direction cosines, or null. */
    public double[] imageOrientationPatient(int frame) {
        double[] o = geometry[frame].orientation();
        return o == null ? null : o.clone();
    }

    /** Pixel Spacing: distance between rows, then between columns (mm), or null. */
    public double[] pixelSpacing(int frame) {
        double[] s = geometry[frame].spacing();
        return s == null ? null : s.clone();
    }

    /**
     * Refuses objects that Scan Enhancer itself derived (its Contributing Equipment item): the service sees its own
     * outputs arrive from the PACS, and enhancing them again would compound the model's output and loop.
     * Separate from {@link #read} so that derived objects can still be read for inspection.
     */
    public void requireNotAlreadyEnhanced() throws RefusedInputException {
        ImageChecks.checkNotAlreadyEnhanced(header);
    }

    /** Whether this object keeps per-frame attributes in functional groups (enhanced multi-frame IODs). */
    public boolean hasFunctionalGroups() {
        return header.get(TagFromName.SharedFunctionalGroupsSequence) != null
                || header.get(TagFromName.PerFrameFunctionalGroupsSequence) != null;
    }

    /** Uncompressed over compressed size for encapsulated sources; 0 when the source was not compressed. */
    double compressionRatio() {
        return compressedBytes <= 0 ? 0 : (double) rows * columns * frameCount * (format.bitsAllocated() / 8) / compressedBytes;
    }

    PixelFormat format() {
        return format;
    }

    /** A fresh, independent copy of the header (everything before Pixel Data) for building a derived object. */
    AttributeList copyOfHeader() {
        try {
            return DicomReading.readHeader(part10).header();
        } catch (RefusedInputException e) {
            throw new IllegalStateException("header became unreadable", e);
        }
    }

    AttributeList header() {
        return header;
    }

    private String string(AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(header, tag).strip();
    }

    /** Shape of a stored value. */
    record PixelFormat(int bitsAllocated, int bitsStored, boolean signed) {
        int minStored() {
            return signed ? -(1 << (bitsStored - 1)) : 0;
        }

        int maxStored() {
            return signed ? (1 << (bitsStored - 1)) - 1 : (1 << bitsStored) - 1;
        }
    }

    /** Plane geometry of one frame; any part may be null where the object lacks it. */
    record Geometry(double[] position, double[] orientation, double[] spacing) {
        static Geometry of(AttributeList header, int frame) {
            return new Geometry(
                    FunctionalGroups.doubles(header, frame, TagFromName.PlanePositionSequence, TagFromName.ImagePositionPatient, 3),
                    FunctionalGroups.doubles(header, frame, TagFromName.PlaneOrientationSequence, TagFromName.ImageOrientationPatient, 6),
                    FunctionalGroups.doubles(header, frame, TagFromName.PixelMeasuresSequence, TagFromName.PixelSpacing, 2));
        }
    }

    static boolean isSequencePresent(AttributeList list, AttributeTag tag) {
        return list.get(tag) instanceof SequenceAttribute s && s.getNumberOfItems() > 0;
    }

    static boolean isByteAttribute(Attribute a) {
        return a instanceof OtherByteAttribute;
    }
}
