package io.scanenhancer.volume;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a 3D NIfTI-1 single file (.nii, or .nii.gz when the name ends in .gz), little endian, unscaled, with the
 * voxel-to-world affine as the sform (qform code 0, as ch2.nii.gz itself has). uint8 for label maps, float32 for
 * images. Voxel (i, j, k) is {@code data[i + nx * (j + ny * k)]}, the layout {@link NiftiVolume} reads.
 *
 * <p>Java's gzip header carries no time stamp, so the same voxels give the same bytes on one JDK; tests compare voxels,
 * not bytes, because another zlib may compress differently.
 */
public final class NiftiWriter {
    private static final int HEADER_SIZE = 348;
    private static final int VOX_OFFSET = 352;

    /**
     * Grid of a volume: sizes, voxel sizes in mm, the 3x4 sform rows (world mm = srow * (i, j, k, 1)) and the
     * sform code (1 scanner, 2 aligned, 3 Talairach, 4 MNI).
     */
    public record Grid(int nx, int ny, int nz, float dx, float dy, float dz, double[] srow, int sformCode) {
        public Grid {
            if (nx < 1 || ny < 1 || nz < 1 || nx > Short.MAX_VALUE || ny > Short.MAX_VALUE || nz > Short.MAX_VALUE) {
                throw new IllegalArgumentException("invalid dimensions " + nx + "x" + ny + "x" + nz);
            }
            if (srow.length != 12) {
                throw new IllegalArgumentException("srow needs 12 values, got " + srow.length);
            }
            srow = srow.clone();
        }

        public int voxels() {
            return nx * ny * nz;
        }

        /** The grid of an existing NIfTI-1 file (sform if it has one, else the diagonal of its voxel sizes). */
        public static Grid of(Path nifti) throws IOException {
            return NiftiAffine.read(nifti);
        }
    }

    private NiftiWriter() {
    }

    public static void writeUint8(Path file, Grid grid, byte[] data, String description) throws IOException {
        check(grid, data.length);
        ByteBuffer b = header(grid, (short) 2, (short) 8, data.length, description);
        b.put(VOX_OFFSET, data);
        write(file, b.array());
    }

    public static void writeFloat32(Path file, Grid grid, float[] data, String description) throws IOException {
        check(grid, data.length);
        ByteBuffer b = header(grid, (short) 16, (short) 32, 4L * data.length, description);
        for (int i = 0; i < data.length; i++) {
            b.putFloat(VOX_OFFSET + 4 * i, data[i]);
        }
        write(file, b.array());
    }

    private static void check(Grid grid, int length) {
        if (length != grid.voxels()) {
            throw new IllegalArgumentException(length + " voxels for a grid of " + grid.voxels());
        }
    }

    private static ByteBuffer header(Grid g, short datatype, short bitpix, long dataBytes, String description) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(VOX_OFFSET + dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, HEADER_SIZE);
        b.putShort(40, (short) 3).putShort(42, (short) g.nx()).putShort(44, (short) g.ny()).putShort(46, (short) g.nz());
        for (int i = 4; i <= 7; i++) {
            b.putShort(40 + 2 * i, (short) 1);
        }
        b.putShort(70, datatype).putShort(72, bitpix);
        b.putFloat(76, 1f); // qfac
        b.putFloat(80, g.dx()).putFloat(84, g.dy()).putFloat(88, g.dz());
        b.putFloat(108, VOX_OFFSET);
        b.putFloat(112, 1f).putFloat(116, 0f);
        b.put(123, (byte) 2); // xyzt_units: mm
        byte[] text = description.getBytes(StandardCharsets.US_ASCII);
        b.put(148, text, 0, Math.min(79, text.length));
        b.putShort(252, (short) 0).putShort(254, (short) g.sformCode());
        for (int i = 0; i < 12; i++) {
            b.putFloat(280 + 4 * i, (float) g.srow()[i]);
        }
        b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
        return b;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream out = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw) {
            out.write(bytes);
        }
    }
}
