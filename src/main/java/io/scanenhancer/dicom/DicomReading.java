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

    /** One parse: the header (all before Pixel Data), the syntax, and where the pixel data is. */
    record Parsed(AttributeList header, String transferSyntaxUid, int datasetStart, boolean hasPreamble,
                  ElementLengthScan.PixelDataElement pixelDataElement, Attribute pixelData) {
    }

    private DicomReading() {
    }

    static Parsed readHeader(byte[] b) throws RefusedInputException {
        if (b.length < 8) {
            throw new RefusedInputException(Category.NOT_DICOM, "not a DICOM file (" + b.length + " bytes)");
        }
        boolean preamble = b.length >= PREAMBLE + 4 && "DICM".equals(new String(b, PREAMBLE, 4, StandardCharsets.US_ASCII));
        int metaStart = preamble ? PREAMBLE + 4 : (ElementLengthScan.u16(b, 0, false) == 0x0002 ? 0 : -1);
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
        }
        if (datasetStart + 8 > b.length) {
            throw new RefusedInputException(Category.NOT_DICOM, "no data set after the file meta information");
        }
        if (tsuid.isEmpty()) {
            tsuid = guessTransferSyntax(b, datasetStart);
        }
        ElementLengthScan.PixelDataElement pixelElement = null;
        if (!TransferSyntaxes.DEFLATED_LE.equals(tsuid)) {
            pixelElement = ElementLengthScan.scan(b, -1, datasetStart, TransferSyntaxes.isExplicit(tsuid), TransferSyntaxes.isBigEndian(tsuid));
        }
        AttributeList header = new AttributeList();
        try {
            header.read(datasetStream(b, datasetStart, tsuid), TagFromName.PixelData);
        } catch (IOException | DicomException | RuntimeException e) {
            throw new RefusedInputException(Category.NOT_DICOM, "not a readable DICOM data set (" + safe(e) + ")");
        }
        if (header.isEmpty() || header.get(TagFromName.SOPClassUID) == null && header.get(TagFromName.Rows) == null) {
            throw new RefusedInputException(Category.NOT_DICOM, "not a DICOM composite object: no SOP Class UID and no image attributes");
        }
        return new Parsed(header, tsuid, datasetStart, preamble, pixelElement, null);
    }

    /** Reads the whole object, decoding compressed pixel data; only called once every claimed size was checked. */
    static Parsed readAll(byte[] b, Parsed headerOnly) throws RefusedInputException {
        AttributeList all = new AttributeList();
        try {
            all.setDecompressPixelData(true);
            all.read(datasetStream(b, headerOnly.datasetStart(), headerOnly.transferSyntaxUid()));
        } catch (IOException | DicomException | RuntimeException e) {
            String ts = headerOnly.transferSyntaxUid();
            if (TransferSyntaxes.isNative(ts)) {
                throw new RefusedInputException(Category.TRUNCATED, "unreadable pixel data (" + safe(e) + ")");
            }
            throw new RefusedInputException(Category.UNSUPPORTED_TRANSFER_SYNTAX, "could not decode " + TransferSyntaxes.name(ts)
                    + " (" + ts + ") pixel data (" + safe(e) + "); ask the PACS for explicit VR little endian");
        }
        Attribute pixels = all.getPixelData();
        if (pixels == null) {
            throw new RefusedInputException(Category.NO_PIXEL_DATA, "no Pixel Data in the object");
        }
        return new Parsed(headerOnly.header(), headerOnly.transferSyntaxUid(), headerOnly.datasetStart(), headerOnly.hasPreamble(),
                headerOnly.pixelDataElement(), pixels);
    }

    /** Compares the Pixel Data element's real length with what the header's dimensions require. */
    static void checkPixelDataLength(Parsed parsed, long required) throws RefusedInputException {
        if (TransferSyntaxes.DEFLATED_LE.equals(parsed.transferSyntaxUid())) {
            return; // lengths are only known after inflating; the dimension limits bound what inflating may produce
        }
        ElementLengthScan.PixelDataElement e = parsed.pixelDataElement();
        if (e == null) {
            throw new RefusedInputException(Category.NO_PIXEL_DATA, "no Pixel Data in the object");
        }
        if (e.valueLength() == ElementLengthScan.UNDEFINED) {
            if (TransferSyntaxes.isNative(parsed.transferSyntaxUid())) {
                throw new RefusedInputException(Category.INCONSISTENT, "encapsulated pixel data in an uncompressed transfer syntax");
            }
            if (e.fragmentBytes() == 0) {
                throw new RefusedInputException(Category.TRUNCATED, "pixel data truncated: no compressed fragments");
            }
            return;
        }
        if (!TransferSyntaxes.isNative(parsed.transferSyntaxUid())) {
            throw new RefusedInputException(Category.INCONSISTENT, "native pixel data in a compressed transfer syntax");
        }
        if (e.valueLength() < required) {
            throw new RefusedInputException(Category.TRUNCATED, "pixel data truncated or inconsistent: Pixel Data holds " + e.valueLength()
                    + " bytes but Rows x Columns x Frames x Bits Allocated need " + required);
        }
    }

    private static DicomInputStream datasetStream(byte[] b, int datasetStart, String tsuid) throws IOException {
        return new DicomInputStream(new ByteArrayInputStream(b, datasetStart, b.length - datasetStart), tsuid, false);
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
