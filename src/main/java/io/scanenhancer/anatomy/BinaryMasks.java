package io.scanenhancer.anatomy;

/**
 * Hole filling and connected regions of boolean masks on an (nx, ny, nz) grid, index i + nx * (j + ny * k).
 * Flood fills use an explicit int stack: a head has millions of voxels, far too many for recursion.
 */
final class BinaryMasks {
    private BinaryMasks() {
    }

    /**
     * The mask with every region it encloses added: whatever outside voxel cannot be reached from the border of the
     * grid through outside voxels (6-connected) is a hole.
     */
    static boolean[] fillHoles3d(boolean[] mask, int nx, int ny, int nz) {
        boolean[] reached = new boolean[mask.length];
        int[] stack = new int[mask.length];
        int top = 0;
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    boolean border = i == 0 || j == 0 || k == 0 || i == nx - 1 || j == ny - 1 || k == nz - 1;
                    int p = i + nx * (j + ny * k);
                    if (border && !mask[p] && !reached[p]) {
                        reached[p] = true;
                        stack[top++] = p;
                    }
                }
            }
        }
        int plane = nx * ny;
        while (top > 0) {
            int p = stack[--top];
            int i = p % nx, j = (p / nx) % ny, k = p / plane;
            int[] next = {i > 0 ? p - 1 : -1, i < nx - 1 ? p + 1 : -1, j > 0 ? p - nx : -1, j < ny - 1 ? p + nx : -1,
                    k > 0 ? p - plane : -1, k < nz - 1 ? p + plane : -1};
            for (int q : next) {
                if (q >= 0 && !mask[q] && !reached[q]) {
                    reached[q] = true;
                    stack[top++] = q;
                }
            }
        }
        boolean[] out = new boolean[mask.length];
        for (int p = 0; p < out.length; p++) {
            out[p] = !reached[p];
        }
        return out;
    }

    /**
     * Holes filled slice by slice in each of the three orientations, after the 3D fill: air spaces that open to the
     * outside in 3D (nasal cavity, ear canals) are still enclosed in most 2D slices.
     */
    static boolean[] fillHolesEverySlice(boolean[] mask, int nx, int ny, int nz) {
        boolean[] out = fillHoles3d(mask, nx, ny, nz);
        // each orientation as a stack of 2D slices: a 3D fill on a grid one voxel thick is a 2D fill
        for (int axis = 0; axis < 3; axis++) {
            int n = axis == 0 ? nx : axis == 1 ? ny : nz;
            for (int s = 0; s < n; s++) {
                int rows = axis == 2 ? ny : nz, cols = axis == 0 ? ny : nx;
                boolean[] slice = new boolean[rows * cols];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        slice[r * cols + c] = out[index(axis, s, r, c, nx, ny)];
                    }
                }
                boolean[] filled = fillHoles3d(slice, cols, rows, 1);
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        out[index(axis, s, r, c, nx, ny)] |= filled[r * cols + c];
                    }
                }
            }
        }
        return out;
    }

    /** Voxel index of (row, column) of slice s perpendicular to axis (0 = i, 1 = j, 2 = k). */
    private static int index(int axis, int s, int r, int c, int nx, int ny) {
        return switch (axis) {
            case 0 -> s + nx * (c + ny * r);
            case 1 -> c + nx * (s + ny * r);
            default -> c + nx * (r + ny * s);
        };
    }

    /** The voxels of {@code allowed} 6-connected to any seed voxel (seeds outside {@code allowed} are ignored). */
    static boolean[] connectedTo(boolean[] allowed, boolean[] seeds, int nx, int ny, int nz) {
        boolean[] out = new boolean[allowed.length];
        int[] stack = new int[allowed.length];
        int top = 0;
        for (int p = 0; p < allowed.length; p++) {
            if (seeds[p] && allowed[p]) {
                out[p] = true;
                stack[top++] = p;
            }
        }
        int plane = nx * ny;
        while (top > 0) {
            int p = stack[--top];
            int i = p % nx, j = (p / nx) % ny, k = p / plane;
            int[] next = {i > 0 ? p - 1 : -1, i < nx - 1 ? p + 1 : -1, j > 0 ? p - nx : -1, j < ny - 1 ? p + nx : -1,
                    k > 0 ? p - plane : -1, k < nz - 1 ? p + plane : -1};
            for (int q : next) {
                if (q >= 0 && allowed[q] && !out[q]) {
                    out[q] = true;
                    stack[top++] = q;
                }
            }
        }
        return out;
    }

    /** Voxels within {@code radius} (city-block, 6-connected steps) of the mask. */
    static boolean[] dilate(boolean[] mask, int radius, int nx, int ny, int nz) {
        boolean[] out = mask.clone();
        int plane = nx * ny;
        for (int step = 0; step < radius; step++) {
            boolean[] in = out.clone();
            for (int p = 0; p < in.length; p++) {
                if (in[p]) {
                    continue;
                }
                int i = p % nx, j = (p / nx) % ny, k = p / plane;
                out[p] = (i > 0 && in[p - 1]) || (i < nx - 1 && in[p + 1]) || (j > 0 && in[p - nx])
                        || (j < ny - 1 && in[p + nx]) || (k > 0 && in[p - plane]) || (k < nz - 1 && in[p + plane]);
            }
        }
        return out;
    }

    static long count(boolean[] mask) {
        long n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    static boolean[] not(boolean[] mask) {
        boolean[] out = new boolean[mask.length];
        for (int p = 0; p < mask.length; p++) {
            out[p] = !mask[p];
        }
        return out;
    }
}
