package io.scanenhancer.dicom;

import io.scanenhancer.dicom.RefusedInputException.Category;

import java.util.Set;

/**
 * Walks the encoded elements of a Part 10 byte array without decoding values and checks every defined length
 * against the bytes that actually remain. Run before any toolkit parses the file, it guarantees that no later read
 * allocates a buffer from a length the file cannot back (a hostile header claiming gigabytes is refused at once).
 * Also finds the Pixel Data element, so its length can be compared with what Rows, Columns and Frames imply.
 */
final class ElementLengthScan {
    static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int MAX_DEPTH = 64;
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

    /** Where Pixel Data sits; valueLength is UNDEFINED for encapsulated data, then fragmentBytes sums its fragments. */
    record PixelDataElement(int tagOffset, long valueLength, long fragmentBytes, int fragments) {
    }

    private final byte[] b;
    private PixelDataElement pixelData;

    private ElementLengthScan(byte[] bytes) {
        this.b = bytes;
    }

    /**
     * @param datasetStart offset of the first data set element (after the meta header)
     * @param explicit     explicit VR transfer syntax
     * @param bigEndian    explicit VR big endian transfer syntax
     */
    static PixelDataElement scan(byte[] bytes, int metaStart, int datasetStart, boolean explicit, boolean bigEndian) throws RefusedInputException {
        ElementLengthScan s = new ElementLengthScan(bytes);
        if (metaStart >= 0) {
            s.walk(metaStart, datasetStart, true, false, 0, false);
        }
        s.walk(datasetStart, bytes.length, explicit, bigEndian, 0, false);
        return s.pixelData;
    }

    /** Offset of the first data set element: after group 0002, which is always explicit VR little endian. */
    static int endOfMetaHeader(byte[] b, int metaStart) throws RefusedInputException {
        int pos = metaStart;
        while (pos + 8 <= b.length && u16(b, pos, false) == 0x0002) {
            String vr = vr(b, pos + 4);
            long vl;
            int headerLength;
            if (vr != null && LONG_VRS.contains(vr)) {
                if (pos + 12 > b.length) {
                    break;
                }
                vl = u32(b, pos + 8, false);
                headerLength = 12;
            } else {
                vl = u16(b, pos + 6, false);
                headerLength = 8;
            }
            if (vl == UNDEFINED || pos + headerLength + vl > b.length) {
                throw new RefusedInputException(Category.TRUNCATED, "file meta information element claims " + vl + " bytes beyond the end of the file");
            }
            pos += headerLength + (int) vl;
        }
        return pos;
    }

    /** Returns the offset just after the walked region (after a delimiter when inside an undefined-length item). */
    private int walk(int pos, int end, boolean explicit, boolean bigEndian, int depth, boolean untilDelimiter) throws RefusedInputException {
        if (depth > MAX_DEPTH) {
            throw new RefusedInputException(Category.INCONSISTENT, "sequences nested deeper than " + MAX_DEPTH + " levels");
        }
        while (pos + 8 <= end) {
            int group = u16(b, pos, bigEndian);
            int element = u16(b, pos + 2, bigEndian);
            if (group == 0xFFFE) {
                long vl = u32(b, pos + 4, bigEndian);
                if (element == 0xE00D || element == 0xE0DD) {
                    return pos + 8;
                }
                if (element != 0xE000) {
                    throw new RefusedInputException(Category.INCONSISTENT, "unexpected delimiter (FFFE," + hex(element) + ")");
                }
                if (vl == UNDEFINED) {
                    pos = walk(pos + 8, end, explicit, bigEndian, depth + 1, true);
                } else {
                    check(vl, pos + 8, end, group, element);
                    pos += 8 + (int) vl;
                }
                continue;
            }
            String vr = explicit ? vr(b, pos + 4) : null;
            long vl;
            int headerLength;
            if (vr == null) {
                vl = u32(b, pos + 4, bigEndian);
                headerLength = 8;
            } else if (LONG_VRS.contains(vr)) {
                if (pos + 12 > end) {
                    throw truncated(group, element, 12, end - pos);
                }
                vl = u32(b, pos + 8, bigEndian);
                headerLength = 12;
            } else {
                vl = u16(b, pos + 6, bigEndian);
                headerLength = 8;
            }
            int valueStart = pos + headerLength;
            boolean isPixelData = group == 0x7FE0 && element == 0x0010 && depth == 0;
            if (vl == UNDEFINED) {
                if (isPixelData) {
                    pos = fragments(pos, valueStart, end, bigEndian);
                } else {
                    // Undefined-length UN content is encoded implicit VR little endian (PS3.5 6.2.2).
                    boolean nestedExplicit = explicit && !"UN".equals(vr);
                    pos = walk(valueStart, end, nestedExplicit, bigEndian && nestedExplicit, depth + 1, true);
                }
                continue;
            }
            check(vl, valueStart, end, group, element);
            if (isPixelData) {
                pixelData = new PixelDataElement(pos, vl, 0, 0);
            }
            pos = valueStart + (int) vl;
        }
        if (untilDelimiter && pos + 8 > end && depth > 0) {
            throw new RefusedInputException(Category.TRUNCATED, "file ends inside a sequence");
        }
        return pos;
    }

    private int fragments(int tagOffset, int pos, int end, boolean bigEndian) throws RefusedInputException {
        long total = 0;
        int count = 0;
        while (pos + 8 <= end) {
            int group = u16(b, pos, bigEndian);
            int element = u16(b, pos + 2, bigEndian);
            long vl = u32(b, pos + 4, bigEndian);
            if (group != 0xFFFE || (element != 0xE000 && element != 0xE0DD)) {
                throw new RefusedInputException(Category.INCONSISTENT, "encapsulated pixel data is not a sequence of fragments");
            }
            if (element == 0xE0DD) {
                pixelData = new PixelDataElement(tagOffset, UNDEFINED, total, count);
                return pos + 8;
            }
            check(vl, pos + 8, end, 0xFFFE, 0xE000);
            total += vl;
            count++;
            pos += 8 + (int) vl;
        }
        throw new RefusedInputException(Category.TRUNCATED, "pixel data truncated: encapsulated fragments end without a sequence delimiter");
    }

    private static void check(long vl, int valueStart, int end, int group, int element) throws RefusedInputException {
        if (vl > end - valueStart) {
            throw truncated(group, element, vl, end - valueStart);
        }
    }

    private static RefusedInputException truncated(int group, int element, long claimed, long available) {
        String what = group == 0x7FE0 && element == 0x0010 ? "pixel data truncated: Pixel Data" : "truncated or corrupt file: element (" + hex(group) + "," + hex(element) + ")";
        return new RefusedInputException(Category.TRUNCATED, what + " claims " + claimed + " bytes but only " + Math.max(available, 0) + " remain");
    }

    private static String vr(byte[] b, int at) {
        if (at + 2 > b.length) {
            return null;
        }
        char c0 = (char) b[at], c1 = (char) b[at + 1];
        return c0 >= 'A' && c0 <= 'Z' && c1 >= 'A' && c1 <= 'Z' ? "" + c0 + c1 : null;
    }

    static int u16(byte[] b, int at, boolean bigEndian) {
        int x0 = b[at] & 0xFF, x1 = b[at + 1] & 0xFF;
        return bigEndian ? (x0 << 8) | x1 : (x1 << 8) | x0;
    }

    static long u32(byte[] b, int at, boolean bigEndian) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int shift = bigEndian ? (3 - i) * 8 : i * 8;
            v |= (long) (b[at + i] & 0xFF) << shift;
        }
        return v;
    }

    private static String hex(int x) {
        return String.format("%04X", x);
    }
}
