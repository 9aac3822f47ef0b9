package io.scanenhancer.dicom;

import io.scanenhancer.dicom.RefusedInputException.Category;
import io.scanenhancer.dicom.SourceImage.PixelFormat;

import java.util.Map;
import java.util.Set;

/** Which transfer syntaxes we read, and how we refuse the others. */
final class TransferSyntaxes {
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final String DEFLATED_LE = "1.2.840.10008.1.2.1.99";
    static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
    static final String RLE = "1.2.840.10008.1.2.5";
    static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";

    private static final Set<String> NATIVE = Set.of(IMPLICIT_LE, EXPLICIT_LE, EXPLICIT_BE);

    /** Lossy syntaxes: decoding one means the source pixels already went through lossy compression. */
    static final Map<String, String> LOSSY_METHOD = Map.of(
            JPEG_BASELINE, "ISO_10918_1",
            "1.2.840.10008.1.2.4.51", "ISO_10918_1",
            "1.2.840.10008.1.2.4.81", "ISO_14495_1",
            "1.2.840.10008.1.2.4.91", "ISO_15444_1",
            "1.2.840.10008.1.2.4.93", "ISO_15444_1");

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry(JPEG_BASELINE, "JPEG baseline"),
            Map.entry("1.2.840.10008.1.2.4.51", "JPEG extended (12-bit lossy)"),
            Map.entry("1.2.840.10008.1.2.4.57", "JPEG lossless"),
            Map.entry("1.2.840.10008.1.2.4.70", "JPEG lossless SV1"),
            Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS lossless"),
            Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS near-lossless"),
            Map.entry("1.2.840.10008.1.2.4.90", "JPEG 2000 lossless"),
            Map.entry("1.2.840.10008.1.2.4.91", "JPEG 2000"),
            Map.entry("1.2.840.10008.1.2.4.92", "JPEG 2000 multi-component lossless"),
            Map.entry("1.2.840.10008.1.2.4.93", "JPEG 2000 multi-component"),
            Map.entry("1.2.840.10008.1.2.4.100", "MPEG2"),
            Map.entry("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264"),
            Map.entry("1.2.840.10008.1.2.4.201", "HTJ2K lossless"),
            Map.entry("1.2.840.10008.1.2.4.203", "HTJ2K"),
            Map.entry(RLE, "RLE lossless"),
            Map.entry(DEFLATED_LE, "deflated explicit VR little endian"));

    private TransferSyntaxes() {
    }

    static boolean isNative(String uid) {
        return NATIVE.contains(uid);
    }

    static boolean isExplicit(String uid) {
        return !IMPLICIT_LE.equals(uid);
    }

    static boolean isBigEndian(String uid) {
        return EXPLICIT_BE.equals(uid);
    }

    static String name(String uid) {
        return NAMES.getOrDefault(uid, "unknown");
    }

    /**
     * Native and deflated syntaxes are always read; RLE is decoded by PixelMed (verified pixel-identical to the
     * uncompressed twin); 8-bit JPEG baseline through the JDK's JPEG reader. JPEG-LS, JPEG 2000, lossless and
     * 12-bit JPEG have no codec here and are refused rather than guessed at.
     */
    static void checkDecodable(String uid, PixelFormat format) throws RefusedInputException {
        if (NATIVE.contains(uid) || DEFLATED_LE.equals(uid) || RLE.equals(uid)) {
            return;
        }
        if (JPEG_BASELINE.equals(uid) && format.bitsAllocated() == 8) {
            return;
        }
        if (uid.isEmpty()) {
            throw new RefusedInputException(Category.UNSUPPORTED_TRANSFER_SYNTAX, "transfer syntax unknown; ask the PACS for explicit VR little endian");
        }
        String name = name(uid);
        String detail = JPEG_BASELINE.equals(uid) ? " for " + format.bitsAllocated() + "-bit data" : "";
        throw new RefusedInputException(Category.UNSUPPORTED_TRANSFER_SYNTAX, ("unknown".equals(name) ? "" : "compressed ")
                + "transfer syntax " + name + " (" + uid + ")" + detail + " is not supported; ask the PACS for explicit VR little endian");
    }
}
