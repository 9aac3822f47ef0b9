package io.scanenhancer.volume;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NiftiVolumeTest {

    @Test
    void readsDebiansColin27Volume() throws IOException {
        NiftiVolume v = NiftiVolume.read(Path.of("/usr/share/mricron/templates/ch2.nii.gz"));
        assertEquals(181, v.nx());
        assertEquals(217, v.ny());
        assertEquals(181, v.nz());
        assertEquals(1.0, v.dx(), 1e-6);
        float max = 0;
        for (float p : v.axial(90)) {
            max = Math.max(max, p);
        }
        assertTrue(max > 100 && max <= 255, "8-bit T1 slice, max " + max);
        assertEquals(v.get(100, 120, 90), v.axial(90)[120 * 181 + 100]);
        assertEquals(v.get(100, 120, 90), v.coronal(120)[90 * 181 + 100]);
        assertEquals(v.get(100, 120, 90), v.sagittal(100)[90 * 217 + 120]);
    }

    private static byte[] header(short nx, short ny, short nz, short datatype, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(352 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 348);
        b.putShort(40, (short) 3).putShort(42, nx).putShort(44, ny).putShort(46, nz);
        b.putShort(70, datatype).putShort(72, (short) 8);
        b.putFloat(80, 1).putFloat(84, 1).putFloat(88, 1);
        b.putFloat(108, 352);
        b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
        return b.array();
    }

    @Test
    void aHeaderThatClaimsMoreVoxelsThanTheFileHoldsIsRefusedBeforeAllocating() {
        byte[] hostile = header((short) 32000, (short) 32000, (short) 32000, (short) 16, 64);
        IOException e = assertThrows(IOException.class, () -> NiftiVolume.parse(hostile, "hostile.nii"));
        assertTrue(e.getMessage().contains("voxels"), e.getMessage());
    }

    @Test
    void smallVolumeRoundTripsItsValues() throws IOException {
        byte[] bytes = header((short) 2, (short) 1, (short) 1, (short) 2, 2);
        bytes[352] = 7;
        bytes[353] = (byte) 200;
        NiftiVolume v = NiftiVolume.parse(bytes, "tiny.nii");
        assertEquals(7, v.get(0, 0, 0));
        assertEquals(200, v.get(1, 0, 0));
    }

    @Test
    void notANiftiFileIsRefused() {
        assertThrows(IOException.class, () -> NiftiVolume.parse(new byte[400], "zeros.nii"));
    }
}
