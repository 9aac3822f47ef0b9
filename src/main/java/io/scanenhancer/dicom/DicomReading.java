package io.scanenhancer.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.dicom.RefusedInputException.Category;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Parses Part 10 bytes with PixelMed, after {@link ElementLengthScan} has vetted every length in them. */
final class DicomReading {
    private static final int PREAMBLE = 128;
    private static final String MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10";

    /** One parse: the header (all before Pixel Data), the syntax, and where the pixel data is. */
    /**
     * @param transferSyntaxUid the source's transfer syntax
     * @param dataset           the bytes the data set is parsed from: the file itself, or the inflated data set of a
     *                          deflated file (inflated once, under a size cap, so that its lengths can be scanned too)
     * @param parseSyntax       the transfer syntax of {@code dataset} (explicit VR little endian once inflated)
     */
    record Parsed(AttributeList header, String transferSyntaxUid, byte[] dataset, int datasetStart, String parseSyntax,
                  ElementLengthScan.PixelDataElement pixelDataElement, Attribute pixelData) {
    }

    /** Largest inflated data set accepted: the largest accepted pixel data plus generous room for the header. */
    static final long MAX_INFLATED_BYTES = SourceImage.MAX_TOTAL_PIXELS * 2 + (64L << 20);

    private DicomReading() {
    }

    static Parsed readHeader(byte[] b) throws RefusedInputException {
        if (b.length < 8) {
            throw new RefusedInputException(Category.NOT_DICOM, "not a DICOM file (" + b.length + " bytes)");
        }
        boolean preamble = b.length >= PREAMBLE + 4 && "DICM".equals(new String(b, PREAMBLE, 4, StandardCharsets.US_ASCII));
        int metaStart = preamble ? PREAMBLE + 4 : (ElementLengthScan.u16(b, 0, false) == 0x0002 ? 0 : -1);
        if (!preamble && metaStart < 0 && !startsLikeDataSet(b)) {
            throw new RefusedInputException(Category.NOT_DICOM, "not a DICOM file: no DICM prefix and no data set at the start");
        }
        int datasetStart = metaStart >= 0 ? ElementLengthScan.endOfMetaHeader(b, metaStart) : 0;
        String tsuid = "";
        if (metaStart >= 0 && datasetStart > metaStart) {
            AttributeList meta = new AttributeList();
            try {
                meta.read(new DicomInputStream(new ByteArrayInputStream(b, metaStart, datasetStart - metaStart),
                        TransferSyntaxes.EXPLICIT_LE, false));
            } catch (IOException | DicomException | RuntimeException e) {
                throw new RefusedInputException(Category.NOT_DICOM, "unreadable file meta information");
            }
            tsuid = Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.TransferSyntaxUID).strip();
            if (MEDIA_STORAGE_DIRECTORY.equals(Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.MediaStorageSOPClassUID).strip())) {
                throw new RefusedInputException(Category.NOT_AN_IMAGE, "a DICOMDIR (media storage directory), not an image");
            }
        }
        if (datasetStart + 8 > b.length) {
            throw new RefusedInputException(Category.NOT_DICOM, "no data set after the file meta information");
        }
        if (tsuid.isEmpty()) {
            tsuid = guessTransferSyntax(b, datasetStart);
        }
        byte[] dataset = b;
        String parseSyntax = tsuid;
        if (TransferSyntaxes.DEFLATED_LE.equals(tsuid)) {
            dataset = inflate(b, datasetStart);
            datasetStart = 0;
            parseSyntax = TransferSyntaxes.EXPLICIT_LE;
        }
        ElementLengthScan.PixelDataElement pixelElement = ElementLengthScan.scan(dataset, -1, datasetStart,
                TransferSyntaxes.isExplicit(parseSyntax), TransferSyntaxes.isBigEndian(parseSyntax));
        AttributeList header = new AttributeList();
        try {
            header.read(datasetStream(dataset, datasetStart, parseSyntax), TagFromName.PixelData);
        } catch (IOException | DicomException | RuntimeException e) {
            throw new RefusedInputException(Category.NOT_DICOM, "not a readable DICOM data set (" + safe(e) + ")");
        }
        if (header.isEmpty() || header.get(TagFromName.SOPClassUID) == null && header.get(TagFromName.Rows) == null) {
            throw new RefusedInputException(Category.NOT_DICOM, "not a DICOM composite object: no SOP Class UID and no image attributes");
        }
        return new Parsed(header, tsuid, dataset, datasetStart, parseSyntax, pixelElement, null);
    }

    /** Reads the whole object, decoding compressed pixel data; only called once every claimed size was checked. */
    static Parsed readAll(Parsed headerOnly) throws RefusedInputException {
        AttributeList all = new AttributeList();
        try {
            all.setDecompressPixelData(true);
            all.read(datasetStream(headerOnly.dataset(), headerOnly.datasetStart(), headerOnly.parseSyntax()));
        } catch (IOException | DicomException | RuntimeException e) {
            String ts = headerOnly.transferSyntaxUid();
            if (TransferSyntaxes.isNative(headerOnly.parseSyntax())) {
                throw new RefusedInputException(Category.TRUNCATED, "unreadable pixel data (" + safe(e) + ")");
            }
            throw new RefusedInputException(Category.UNSUPPORTED_TRANSFER_SYNTAX, "could not decode " + TransferSyntaxes.name(ts)
                    + " (" + ts + ") pixel data (" + safe(e) + "); ask the PACS for explicit VR little endian");
        }
        Attribute pixels = all.getPixelData();
        if (pixels == null) {
            throw new RefusedInputException(Category.NO_PIXEL_DATA, "no Pixel Data in the object");
        }
        return new Parsed(headerOnly.header(), headerOnly.transferSyntaxUid(), headerOnly.dataset(), headerOnly.datasetStart(),
                headerOnly.parseSyntax(), headerOnly.pixelDataElement(), pixels);
    }

    /** Compares the Pixel Data element's real length with what the header's dimensions require. */
    static void checkPixelDataLength(Parsed parsed, long required) throws RefusedInputException {
        ElementLengthScan.PixelDataElement e = parsed.pixelDataElement();
        if (e == null) {
            throw new RefusedInputException(Category.NO_PIXEL_DATA, "no Pixel Data in the object");
        }
        if (e.valueLength() == ElementLengthScan.UNDEFINED) {
            if (TransferSyntaxes.isNative(parsed.parseSyntax())) {
                throw new RefusedInputException(Category.INCONSISTENT, "encapsulated pixel data in an uncompressed transfer syntax");
            }
            if (e.fragmentBytes() == 0) {
                throw new RefusedInputException(Category.TRUNCATED, "pixel data truncated: no compressed fragments");
            }
            return;
        }
        if (!TransferSyntaxes.isNative(parsed.parseSyntax())) {
            throw new RefusedInputException(Category.INCONSISTENT, "native pixel data in a compressed transfer syntax");
        }
        if (e.valueLength() < required) {
            throw new RefusedInputException(Category.TRUNCATED, "pixel data truncated or inconsistent: Pixel Data holds " + e.valueLength()
                    + " bytes but Rows x Columns x Frames x Bits Allocated need " + required);
        }
    }

    /** Inflates a deflated data set (raw deflate, PS3.5 A.5) with a cap, so a small file cannot expand without bound. */
    private static byte[] inflate(byte[] b, int from) throws RefusedInputException {
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        inflater.setInput(b, from, b.length - from);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(Math.max(1024, 4 * (b.length - from)));
        byte[] chunk = new byte[1 << 16];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                out.write(chunk, 0, n);
                if (out.size() > MAX_INFLATED_BYTES) {
                    throw new RefusedInputException(Category.TOO_LARGE, "deflated data set inflates beyond " + MAX_INFLATED_BYTES + " bytes");
                }
            }
        } catch (java.util.zip.DataFormatException e) {
            throw new RefusedInputException(Category.TRUNCATED, "deflated data set is corrupt (" + safe(e) + ")");
        } finally {
            inflater.end();
        }
        return out.toByteArray();
    }

    private static DicomInputStream datasetStream(byte[] b, int datasetStart, String tsuid) throws IOException {
        return new DicomInputStream(new ByteArrayInputStream(b, datasetStart, b.length - datasetStart), tsuid, false);
    }

    /** A data set without file meta information starts with a low even group (usually 0008) in either byte order. */
    private static boolean startsLikeDataSet(byte[] b) {
        int little = ElementLengthScan.u16(b, 0, false), big = ElementLengthScan.u16(b, 0, true);
        return (little <= 0x0010 && little % 2 == 0 && little > 0) || (big <= 0x0010 && big % 2 == 0 && big > 0);
    }

    private static String guessTransferSyntax(byte[] b, int at) {
        boolean bigEndian = b[at] == 0 && b[at + 1] != 0;
        char c0 = (char) b[at + 4], c1 = (char) b[at + 5];
        boolean explicit = c0 >= 'A' && c0 <= 'Z' && c1 >= 'A' && c1 <= 'Z';
        if (!explicit) {
            return TransferSyntaxes.IMPLICIT_LE;
        }
        return bigEndian ? TransferSyntaxes.EXPLICIT_BE : TransferSyntaxes.EXPLICIT_LE;
    }

    /** Toolkit messages name tags and lengths, never values; still, keep them to one short line. */
    static String safe(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceAll("[\\r\\n]+", " ").replace("com.pixelmed.dicom.DicomException: ", "");
        return m.length() > 160 ? m.substring(0, 160) + "..." : m;
    }
}
