package io.scanenhancer.volume;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A 3D scalar volume read from a NIfTI-1 file (.nii or .nii.gz). Only what training needs: dimensions, voxel size and
 * voxel values with the header's scaling applied. Written by hand because no maintained NIfTI reader is on Maven
 * Central; it checks every size claim in the header against the bytes actually present before allocating.
 *
 * <p>Voxel (i, j, k) is stored at {@code data[i + nx * (j + ny * k)]}, i fastest, as in the file.
 */
public final class NiftiVolume {
    private static final int HEADER_SIZE = 348;
    private static final long MAX_VOXELS = 1L << 28;

    private final int nx, ny, nz;
    private final float dx, dy, dz;
    private final float[] data;

    private NiftiVolume(int nx, int ny, int nz, float dx, float dy, float dz, float[] data) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.dx = dx;
        this.dy = dy;
        this.dz = dz;
        this.data = data;
    }

    public static NiftiVolume read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            bytes = in.readAllBytes();
        }
        return parse(bytes, file.getFileName().toString());
    }

    static NiftiVolume parse(byte[] bytes, String name) throws IOException {
        if (bytes.length < HEADER_SIZE) {
            throw new IOException(name + ": shorter than a NIfTI-1 header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != HEADER_SIZE) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != HEADER_SIZE) {
                throw new IOException(name + ": not a NIfTI-1 file (sizeof_hdr is not 348)");
            }
        }
        String magic = new String(bytes, 344, 3, java.nio.charset.StandardCharsets.US_ASCII);
        if (!magic.equals("n+1") && !magic.equals("ni1")) {
            throw new IOException(name + ": NIfTI-1 magic missing");
        }
        int rank = b.getShort(40);
        if (rank < 1 || rank > 7) {
            throw new IOException(name + ": invalid dim[0] " + rank);
        }
        int[] dim = new int[3];
        for (int i = 0; i < 3; i++) {
            dim[i] = i < rank ? b.getShort(42 + 2 * i) : 1;
            if (dim[i] < 1) {
                throw new IOException(name + ": invalid dimension " + dim[i]);
            }
        }
        for (int i = 3; i < rank; i++) {
            if (b.getShort(42 + 2 * i) > 1) {
                throw new IOException(name + ": only 3D volumes are supported");
            }
        }
        int datatype = b.getShort(70);
        int bytesPerVoxel = switch (datatype) {
            case 2, 256 -> 1;
            case 4, 512 -> 2;
            case 8, 16 -> 4;
            case 64 -> 8;
            default -> throw new IOException(name + ": unsupported NIfTI datatype " + datatype);
        };
        long voxels = (long) dim[0] * dim[1] * dim[2];
        long offset = (long) b.getFloat(108);
        if (offset < HEADER_SIZE) {
            offset = HEADER_SIZE + 4;
        }
        if (voxels > MAX_VOXELS || offset + voxels * bytesPerVoxel > bytes.length) {
            throw new IOException(name + ": header claims " + voxels + " voxels but the file holds "
                    + Math.max(0, (bytes.length - offset) / bytesPerVoxel));
        }
        float slope = b.getFloat(112);
        float inter = b.getFloat(116);
        if (slope == 0 || !Float.isFinite(slope)) {
            slope = 1;
            inter = 0;
        }
        float[] out = new float[(int) voxels];
        int p = (int) offset;
        for (int i = 0; i < out.length; i++, p += bytesPerVoxel) {
            double v = switch (datatype) {
                case 2 -> bytes[p] & 0xff;
                case 256 -> bytes[p];
                case 4 -> b.getShort(p);
                case 512 -> b.getShort(p) & 0xffff;
                case 8 -> b.getInt(p);
                case 16 -> b.getFloat(p);
                default -> b.getDouble(p);
            };
            out[i] = (float) (v * slope + inter);
        }
        return new NiftiVolume(dim[0], dim[1], dim[2],
                Math.abs(b.getFloat(80)), Math.abs(b.getFloat(84)), Math.abs(b.getFloat(88)), out);
    }

    public int nx() { return nx; }
    public int ny() { return ny; }
    public int nz() { return nz; }
    public float dx() { return dx; }
    public float dy() { return dy; }
    public float dz() { return dz; }

    public float get(int i, int j, int k) {
        return data[i + nx * (j + ny * k)];
    }

    /** Axial slice k as a (ny rows x nx columns) row-major array. */
    public float[] axial(int k) {
        float[] s = new float[nx * ny];
        System.arraycopy(data, nx * ny * k, s, 0, s.length);
        return s;
    }

    /** Coronal slice j as a (nz rows x nx columns) array. */
    public float[] coronal(int j) {
        float[] s = new float[nx * nz];
        for (int k = 0; k < nz; k++) {
            for (int i = 0; i < nx; i++) {
                s[k * nx + i] = get(i, j, k);
            }
        }
        return s;
    }

    /** Sagittal slice i as a (nz rows x ny columns) array. */
    public float[] sagittal(int i) {
        float[] s = new float[ny * nz];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                s[k * ny + j] = get(i, j, k);
            }
        }
        return s;
    }
}
