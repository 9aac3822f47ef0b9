package io.scanenhancer.dicom;

import com.pixelmed.convert.NIfTI1ToDicom;
import com.pixelmed.dicom.TagFromName;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Real multi-frame inputs: a block of the Colin 27 template cropped into a small NIfTI-1 file and converted by
 * PixelMed's NIfTI1ToDicom into a Legacy Converted Enhanced MR Image (per-frame functional groups, real geometry).
 */
final class MultiFrameInputs {
    static final Path COLIN = Path.of("/usr/share/mricron/templates/ch2.nii.gz");

    private MultiFrameInputs() {
    }

    /**
     * @param signed16 store the crop as int16 with values shifted by -100 (so some are negative), else as uint8
     */
    static byte[] legacyEnhancedMr(Path dir, boolean signed16, int frames) throws Exception {
        byte[] v;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(COLIN))) {
            v = in.readAllBytes();
        }
        int nx = 181, ny = 217, off = 352;
        int i0 = 58, j0 = 76, k0 = 88, cx = 48, cy = 40;
        ByteBuffer h = ByteBuffer.wrap(v, 0, off).slice().order(ByteOrder.LITTLE_ENDIAN);
        byte[] header = new byte[off];
        System.arraycopy(v, 0, header, 0, off);
        ByteBuffer hb = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        hb.putShort(40, (short) 3).putShort(42, (short) cx).putShort(44, (short) cy).putShort(46, (short) frames);
        hb.putShort(70, (short) (signed16 ? 4 : 2)).putShort(72, (short) (signed16 ? 16 : 8));
        hb.putFloat(280 + 12, h.getFloat(280 + 12) + i0);
        hb.putFloat(296 + 12, h.getFloat(296 + 12) + j0);
        hb.putFloat(312 + 12, h.getFloat(312 + 12) + k0);
        int bytesPerVoxel = signed16 ? 2 : 1;
        ByteBuffer data = ByteBuffer.allocate(cx * cy * frames * bytesPerVoxel).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = k0; k < k0 + frames; k++) {
            for (int j = j0; j < j0 + cy; j++) {
                for (int i = i0; i < i0 + cx; i++) {
                    int value = v[off + i + nx * (j + ny * k)] & 0xFF;
                    if (signed16) {
                        data.putShort((short) (value * 8 - 100));
                    } else {
                        data.put((byte) value);
                    }
                }
            }
        }
        Path nii = dir.resolve(signed16 ? "crop16.nii" : "crop8.nii");
        Path dcm = dir.resolve(signed16 ? "crop16.dcm" : "crop8.dcm");
        try (var out = Files.newOutputStream(nii)) {
            out.write(header);
            out.write(data.array());
        }
        new NIfTI1ToDicom(nii.toString(), dcm.toString(), "Colin27^Template", "COLIN27", "1", "1", "1", "MR", null);
        // NIfTI1ToDicom leaves out Laterality, which dciodvfy wants (type 2C): add it so the input itself is valid.
        return TestInputs.edited(dcm, l -> TestInputs.set(l, TagFromName.Laterality));
    }
}
