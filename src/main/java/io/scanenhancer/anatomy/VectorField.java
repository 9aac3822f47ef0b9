package io.scanenhancer.anatomy;

import java.util.Random;

/**
 * A 3-D vector field (mm) on a regular grid of world points {@code origin + h * (i, j, k)}, sampled trilinearly
 * (constant beyond the border). It serves as a stationary velocity field and as the displacement that integrating one
 * gives: {@link #exponential} is scaling and squaring (Arsigny et al. 2006), so the map x -> x + u(x) it returns is
 * the flow of the velocity field for unit time, a diffeomorphism whose inverse is the flow of -v.
 */
public final class VectorField {
    final int nx, ny, nz;
    final double[] origin;
    final double h;
    /** Components interleaved: (x, y, z) of point p at 3p, 3p+1, 3p+2. */
    final float[] v;

    VectorField(int nx, int ny, int nz, double[] origin, double h) {
        this(nx, ny, nz, origin, h, new float[3 * nx * ny * nz]);
    }

    private VectorField(int nx, int ny, int nz, double[] origin, double h, float[] v) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.origin = origin.clone();
        this.h = h;
        this.v = v;
    }

    /** A zero field on a grid of spacing h covering the box [min, max] (world mm). */
    static VectorField covering(double[] min, double[] max, double h) {
        int[] n = new int[3];
        for (int a = 0; a < 3; a++) {
            n[a] = (int) Math.ceil((max[a] - min[a]) / h) + 1;
        }
        return new VectorField(n[0], n[1], n[2], min, h);
    }

    VectorField copy() {
        return new VectorField(nx, ny, nz, origin, h, v.clone());
    }

    int points() {
        return nx * ny * nz;
    }

    /** World position of grid point (i, j, k) along axis a. */
    double world(int a, int index) {
        return origin[a] + h * index;
    }

    /**
     * White Gaussian noise smoothed by a Gaussian of {@code sigmaMm} per component, then scaled so that its largest
     * vector is {@code peakMm} long. Numbers come from {@code random} in a fixed order.
     */
    static VectorField smoothRandom(VectorField grid, double sigmaMm, double peakMm, Random random) {
        VectorField f = new VectorField(grid.nx, grid.ny, grid.nz, grid.origin, grid.h);
        for (int i = 0; i < f.v.length; i++) {
            f.v[i] = (float) random.nextGaussian();
        }
        f.smooth(sigmaMm / f.h);
        f.scale(peakMm / Math.max(1e-12, f.maxNorm()));
        return f;
    }

    /** Separable Gaussian smoothing of each component (sigma in grid cells, kernel cut at 3 sigma, border clamped). */
    void smooth(double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = StrictMath.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        int[] n = {nx, ny, nz};
        int[] stride = {1, nx, nx * ny};
        for (int axis = 0; axis < 3; axis++) {
            float[] out = new float[v.length];
            for (int p = 0; p < points(); p++) {
                int along = (p / stride[axis]) % n[axis];
                for (int c = 0; c < 3; c++) {
                    double s = 0;
                    for (int t = -r; t <= r; t++) {
                        int q = Math.min(n[axis] - 1, Math.max(0, along + t));
                        s += k[t + r] * v[3 * (p + (q - along) * stride[axis]) + c];
                    }
                    out[3 * p + c] = (float) s;
                }
            }
            System.arraycopy(out, 0, v, 0, v.length);
        }
    }

    void scale(double factor) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= (float) factor;
        }
    }

    void add(VectorField other) {
        for (int i = 0; i < v.length; i++) {
            v[i] += other.v[i];
        }
    }

    double maxNorm() {
        double max = 0;
        for (int p = 0; p < points(); p++) {
            max = Math.max(max, Math.sqrt(v[3 * p] * v[3 * p] + v[3 * p + 1] * v[3 * p + 1] + v[3 * p + 2] * v[3 * p + 2]));
        }
        return max;
    }

    /** Trilinear value at world point (x, y, z) into out[0..2]. */
    void sample(double x, double y, double z, double[] out) {
        double fx = clamp((x - origin[0]) / h, nx), fy = clamp((y - origin[1]) / h, ny), fz = clamp((z - origin[2]) / h, nz);
        int i = Math.min(nx - 2, (int) fx), j = Math.min(ny - 2, (int) fy), k = Math.min(nz - 2, (int) fz);
        double tx = fx - i, ty = fy - j, tz = fz - k;
        out[0] = out[1] = out[2] = 0;
        for (int dz = 0; dz < 2; dz++) {
            double wz = dz == 0 ? 1 - tz : tz;
            for (int dy = 0; dy < 2; dy++) {
                double wy = dy == 0 ? 1 - ty : ty;
                int row = nx * ((j + dy) + ny * (k + dz));
                for (int dx = 0; dx < 2; dx++) {
                    double w = wz * wy * (dx == 0 ? 1 - tx : tx);
                    int p = 3 * (row + i + dx);
                    out[0] += w * v[p];
                    out[1] += w * v[p + 1];
                    out[2] += w * v[p + 2];
                }
            }
        }
    }

    private static double clamp(double f, int n) {
        return Math.max(0, Math.min(n - 1, f));
    }

    /**
     * exp(v) by scaling and squaring: u = v / 2^steps, then {@code steps} times u(x) <- u(x) + u(x + u(x)). The steps
     * are chosen so that the first displacement is at most a quarter of a grid cell, where the small-step
     * approximation exp(v/2^n) ~ id + v/2^n is accurate and invertible.
     */
    VectorField exponential() {
        int steps = Math.max(4, (int) Math.ceil(StrictMath.log(Math.max(1e-9, maxNorm()) / (h / 4)) / StrictMath.log(2)));
        VectorField u = copy();
        u.scale(1.0 / (1L << steps));
        double[] at = new double[3];
        for (int s = 0; s < steps; s++) {
            float[] next = new float[v.length];
            for (int k = 0; k < nz; k++) {
                for (int j = 0; j < ny; j++) {
                    for (int i = 0; i < nx; i++) {
                        int p = 3 * (i + nx * (j + ny * k));
                        u.sample(world(0, i) + u.v[p], world(1, j) + u.v[p + 1], world(2, k) + u.v[p + 2], at);
                        next[p] = (float) (u.v[p] + at[0]);
                        next[p + 1] = (float) (u.v[p + 1] + at[1]);
                        next[p + 2] = (float) (u.v[p + 2] + at[2]);
                    }
                }
            }
            u = new VectorField(nx, ny, nz, origin, h, next);
        }
        return u;
    }

    /**
     * Smallest and largest Jacobian determinant of x -> x + u(x) as the trilinear interpolant sees it: at every
     * grid point, with one-sided differences towards each of the eight neighbouring cells (the exact Jacobian of the
     * interpolant at that corner of each cell). All positive means the sampled map folds nowhere.
     */
    double[] jacobianRange() {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        double[][] j = new double[3][3];
        for (int k = 0; k < nz; k++) {
            for (int jj = 0; jj < ny; jj++) {
                for (int i = 0; i < nx; i++) {
                    for (int octant = 0; octant < 8; octant++) {
                        int[] at = {i, jj, k};
                        boolean inside = true;
                        for (int a = 0; a < 3; a++) {
                            int step = (octant >> a & 1) == 0 ? 1 : -1;
                            int[] n = at.clone();
                            n[a] += step;
                            if (n[0] < 0 || n[0] >= nx || n[1] < 0 || n[1] >= ny || n[2] < 0 || n[2] >= nz) {
                                inside = false;
                                break;
                            }
                            int p = 3 * (at[0] + nx * (at[1] + ny * at[2])), q = 3 * (n[0] + nx * (n[1] + ny * n[2]));
                            for (int c = 0; c < 3; c++) {
                                j[c][a] = (c == a ? 1 : 0) + (v[q + c] - v[p + c]) / (step * h);
                            }
                        }
                        if (inside) {
                            double det = j[0][0] * (j[1][1] * j[2][2] - j[1][2] * j[2][1])
                                    - j[0][1] * (j[1][0] * j[2][2] - j[1][2] * j[2][0])
                                    + j[0][2] * (j[1][0] * j[2][1] - j[1][1] * j[2][0]);
                            min = Math.min(min, det);
                            max = Math.max(max, det);
                        }
                    }
                }
            }
        }
        return new double[] {min, max};
    }
}
