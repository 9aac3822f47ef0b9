package io.scanenhancer.volume;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads only the grid of a NIfTI-1 file: sizes, voxel sizes and the voxel-to-world sform. Kept apart from
 * {@link NiftiVolume}, which training uses and which needs no orientation, so that atlases can be checked against
 * ch2's grid before they are used.
 */
final class NiftiAffine {
    private NiftiAffine() {
    }

    static NiftiWriter.Grid read(Path file) throws IOException {
        byte[] head = new byte[348];
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            if (in.readNBytes(head, 0, head.length) != head.length) {
                throw new IOException(file + ": shorter than a NIfTI-1 header");
            }
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 348) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != 348) {
                throw new IOException(file + ": not a NIfTI-1 file");
            }
        }
        float dx = Math.abs(b.getFloat(80)), dy = Math.abs(b.getFloat(84)), dz = Math.abs(b.getFloat(88));
        int sformCode = b.getShort(254);
        double[] srow = new double[12];
        if (sformCode > 0) {
            for (int i = 0; i < 12; i++) {
                srow[i] = b.getFloat(280 + 4 * i);
            }
        } else {
            srow[0] = dx;
            srow[5] = dy;
            srow[10] = dz;
        }
        return new NiftiWriter.Grid(b.getShort(42), b.getShort(44), b.getShort(46), dx, dy, dz, srow, sformCode);
    }
}
