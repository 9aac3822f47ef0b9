package io.scanenhancer.dicom;

import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.dicom.RefusedInputException.Category;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceImageTest {

    @Test
    void transferSyntaxVariantsGiveIdenticalPixels() throws Exception {
        SourceImage reference = SourceImage.read(TestFiles.pydicom("MR_small.dcm"));
        for (String variant : new String[] {"MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm", "MR_small_RLE.dcm", "MR_small_padded.dcm"}) {
            SourceImage v = SourceImage.read(TestFiles.pydicom(variant));
            assertArrayEquals(reference.storedValues(0), v.storedValues(0), variant);
            assertArrayEquals(reference.frame(0).pixels(), v.frame(0).pixels(), variant);
        }
    }

    @Test
    void ctValuesAreHounsfieldUnits() throws Exception {
        SourceImage ct = SourceImage.read(TestFiles.pydicom("CT_small.dcm"));
        assertEquals(1.0, ct.rescaleSlope(0));
        assertEquals(-1024.0, ct.rescaleIntercept(0));
        assertTrue(ct.signed());
        int[] stored = ct.storedValues(0);
        assertEquals(stored[1234] - 1024f, ct.frame(0).pixels()[1234]);
    }

    @Test
    void deflatedEightBitSecondaryCaptureIsRead() throws Exception {
        SourceImage sc = SourceImage.read(TestFiles.pydicom("image_dfl.dcm"));
        assertEquals(8, sc.bitsAllocated());
        assertEquals(512, sc.rows());
        assertEquals(1, sc.frameCount());
    }

    @Test
    void bitsStoredBelowBitsAllocatedAreMaskedAndSignExtended() throws Exception {
        // 12 stored bits, signed: 0x0FFF is -1 and bits above the High Bit (here set) must be ignored.
        byte[] bytes = TestInputs.edited(TestFiles.pydicom("MR_small.dcm"), l -> {
            TestInputs.set(l, TagFromName.BitsStored, "12");
            TestInputs.set(l, TagFromName.HighBit, "11");
            short[] px = l.getPixelData().getShortValues();
            px[0] = (short) 0xFFFF; // -1 in 12 bits with garbage above
            px[1] = (short) 0xF7FF; // 2047 with garbage above
            px[2] = (short) 0x0800; // -2048
        });
        SourceImage s = SourceImage.read(bytes);
        int[] v = s.storedValues(0);
        assertEquals(-1, v[0]);
        assertEquals(2047, v[1]);
        assertEquals(-2048, v[2]);
    }

    @Test
    void hostileDimensionsAreRefusedBeforeAllocating() throws Exception {
        byte[] bytes = TestInputs.edited(TestFiles.pydicom("MR_small.dcm"), l -> {
            TestInputs.set(l, TagFromName.Rows, "60000");
            TestInputs.set(l, TagFromName.Columns, "60000");
            TestInputs.set(l, TagFromName.NumberOfFrames, "1000");
        });
        long before = allocatedBytes();
        RefusedInputException e = assertThrows(RefusedInputException.class, () -> SourceImage.read(bytes));
        long allocated = allocatedBytes() - before;
        assertEquals(Category.ABSURD_DIMENSIONS, e.category(), e.reason());
        assertTrue(e.reason().contains("60000 x 60000 pixels x 1000 frames"), e.reason());
        assertTrue(allocated < 32L << 20, "allocated " + allocated + " bytes while refusing");
    }

    @Test
    void dimensionsWithinLimitsButBeyondTheDataAreRefusedBeforeAllocating() throws Exception {
        // 4096 x 4096 x 4 frames x 2 bytes = 128 MiB claimed, 8 KiB present.
        byte[] bytes = TestInputs.edited(TestFiles.pydicom("MR_small.dcm"), l -> {
            TestInputs.set(l, TagFromName.Rows, "4096");
            TestInputs.set(l, TagFromName.Columns, "4096");
            TestInputs.set(l, TagFromName.NumberOfFrames, "4");
        });
        long before = allocatedBytes();
        RefusedInputException e = assertThrows(RefusedInputException.class, () -> SourceImage.read(bytes));
        long allocated = allocatedBytes() - before;
        assertEquals(Category.TRUNCATED, e.category(), e.reason());
        assertTrue(allocated < 32L << 20, "allocated " + allocated + " bytes while refusing");
    }

    @Test
    void hostilePixelDataLengthIsRefusedBeforeAllocating() throws Exception {
        byte[] bytes = Files.readAllBytes(TestFiles.pydicom("MR_small.dcm"));
        int tag = lastIndexOf(bytes, new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W'});
        // Value length 0x7FFFFFF0: a reader trusting it would allocate 2 GiB.
        bytes[tag + 8] = (byte) 0xF0;
        bytes[tag + 9] = (byte) 0xFF;
        bytes[tag + 10] = (byte) 0xFF;
        bytes[tag + 11] = (byte) 0x7F;
        long before = allocatedBytes();
        RefusedInputException e = assertThrows(RefusedInputException.class, () -> SourceImage.read(bytes));
        long allocated = allocatedBytes() - before;
        assertEquals(Category.TRUNCATED, e.category(), e.reason());
        assertTrue(e.reason().contains("2147483632"), e.reason());
        assertTrue(allocated < 32L << 20, "allocated " + allocated + " bytes while refusing");
    }

    @Test
    void deflateBombIsRefusedAtTheCap() throws Exception {
        byte[] real = Files.readAllBytes(TestFiles.pydicom("image_dfl.dcm"));
        int datasetStart = ElementLengthScan.endOfMetaHeader(real, 132);
        java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
        bomb.write(real, 0, datasetStart);
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(9, true);
        try (java.util.zip.DeflaterOutputStream out = new java.util.zip.DeflaterOutputStream(bomb, deflater)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                out.write(zeros); // 256 MiB of zeros: a few hundred KiB deflated
            }
        }
        RefusedInputException e = assertThrows(RefusedInputException.class, () -> SourceImage.read(bomb.toByteArray()));
        assertEquals(Category.TOO_LARGE, e.category(), e.reason());
    }

    @Test
    void brokenInputsAreRefusedWithSpecificReasons() throws Exception {
        assertEquals(Category.TRUNCATED, refuse(Files.readAllBytes(TestFiles.pydicom("MR_truncated.dcm"))).category());
        assertEquals(Category.NOT_DICOM, refuse(new byte[0]).category());
        assertEquals(Category.NOT_DICOM, refuse("hello, this is not DICOM at all, just some text".getBytes()).category());
        assertEquals(Category.COLOUR, refuse(Files.readAllBytes(TestFiles.pydicom("SC_rgb_small_odd.dcm"))).category());
        assertEquals(Category.NOT_AN_IMAGE, refuse(Files.readAllBytes(TestFiles.pydicom("rtplan.dcm"))).category());
        RefusedInputException j2k = refuse(Files.readAllBytes(TestFiles.pydicom("MR_small_jp2klossless.dcm")));
        assertEquals(Category.UNSUPPORTED_TRANSFER_SYNTAX, j2k.category());
        assertEquals("compressed transfer syntax JPEG 2000 lossless (1.2.840.10008.1.2.4.90) is not supported; ask the PACS for explicit VR little endian",
                j2k.reason());
        byte[] noPixels = TestInputs.edited(TestFiles.pydicom("MR_small.dcm"), l -> l.remove(TagFromName.PixelData));
        assertEquals(Category.NO_PIXEL_DATA, refuse(noPixels).category());
    }

    private static RefusedInputException refuse(byte[] bytes) {
        return assertThrows(RefusedInputException.class, () -> SourceImage.read(bytes));
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            boolean match = true;
            for (int j = 0; j < needle.length && match; j++) {
                match = haystack[i + j] == needle[j];
            }
            if (match) {
                return i;
            }
        }
        throw new AssertionError("pattern not found");
    }
}
