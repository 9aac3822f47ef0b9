package io.scanenhancer.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import io.scanenhancer.dicom.RefusedInputException.Category;
import io.scanenhancer.dicom.SourceImage.PixelFormat;

/** Turns PixelMed's pixel data into stored values per frame: masked to Bits Stored and sign-extended. */
final class PixelExtraction {
    private PixelExtraction() {
    }

    static int[][] frames(Attribute pixels, PixelFormat f, int rows, int columns, int frames, String tsuid) throws RefusedInputException {
        int perFrame = rows * columns;
        long needed = (long) perFrame * frames;
        int[] all = new int[(int) needed];
        try {
            if (f.bitsAllocated() == 16) {
                if (pixels instanceof OtherByteAttribute) {
                    byte[] b = pixels.getByteValues();
                    requireLength(b.length / 2, needed);
                    boolean big = TransferSyntaxes.isBigEndian(tsuid);
                    for (int i = 0; i < needed; i++) {
                        int lo = b[2 * i] & 0xFF, hi = b[2 * i + 1] & 0xFF;
                        all[i] = big ? (lo << 8) | hi : (hi << 8) | lo;
                    }
                } else {
                    short[] s = pixels.getShortValues();
                    requireLength(s.length, needed);
                    for (int i = 0; i < needed; i++) {
                        all[i] = s[i] & 0xFFFF;
                    }
                }
            } else {
                if (pixels instanceof OtherByteAttribute) {
                    byte[] b = pixels.getByteValues();
                    requireLength(b.length, needed);
                    for (int i = 0; i < needed; i++) {
                        all[i] = b[i] & 0xFF;
                    }
                } else {
                    // 8-bit pixels in an OW element (implicit VR): two pixels per word, first pixel in the low byte
                    // for little endian and in the high byte for big endian.
                    short[] s = pixels.getShortValues();
                    requireLength(2L * s.length, needed);
                    boolean big = TransferSyntaxes.isBigEndian(tsuid);
                    for (int i = 0; i < needed; i++) {
                        int w = s[i / 2] & 0xFFFF;
                        boolean low = (i % 2 == 0) != big;
                        all[i] = low ? w & 0xFF : w >>> 8;
                    }
                }
            }
        } catch (DicomException e) {
            throw new RefusedInputException(Category.INCONSISTENT, "pixel data cannot be read as " + f.bitsAllocated() + "-bit values");
        }
        int mask = (1 << f.bitsStored()) - 1;
        int signBit = 1 << (f.bitsStored() - 1);
        int[][] out = new int[frames][perFrame];
        for (int fr = 0; fr < frames; fr++) {
            int[] dst = out[fr];
            int base = fr * perFrame;
            for (int i = 0; i < perFrame; i++) {
                int v = all[base + i] & mask;
                if (f.signed() && (v & signBit) != 0) {
                    v -= 1 << f.bitsStored();
                }
                dst[i] = v;
            }
        }
        return out;
    }

    private static void requireLength(long have, long needed) throws RefusedInputException {
        if (have < needed) {
            throw new RefusedInputException(Category.TRUNCATED, "pixel data truncated: " + have + " values for " + needed + " pixels");
        }
    }
}
