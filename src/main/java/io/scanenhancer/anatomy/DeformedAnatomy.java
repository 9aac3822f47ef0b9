package io.scanenhancer.anatomy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A new head: the source anatomy deformed by a diffeomorphism and then placed by an affine map. It is defined by its
 * pull-back: a point p of the new head (patient coordinates, DICOM LPS mm, the source's brain centroid at the
 * origin before the deformation) shows what the source shows at
 * <pre>  phi(c + M * ras(p)),   phi(w) = w + u(w),   u = exp(v) - id</pre>
 * where ras flips x and y (LPS to RAS), c is the source's brain centroid, M the inverse of the affine's linear part
 * and v a stationary velocity field in the source's world frame. Both parts are invertible, so the new head is the
 * source's anatomy moved, never torn or folded; {@link #jacobianRange} checks that numerically.
 */
public final class DeformedAnatomy {
    private final SourceAnatomy source;
    private final double[] centre;
    private final double[] m;      // 3x3, patient RAS offset -> source world offset
    private final double[] forward; // 3x3, its inverse (the affine's linear part)
    private final VectorField velocity;
    private final VectorField displacement;
    private final RandomAnatomy.Parameters parameters;
    private final List<LocalRedraw> redraws;
    private Extent extent;

    /** A local redraw: a random velocity added in a window around patient z (see {@link #withLocalRedraws}). */
    public record LocalRedraw(double zMm, double sigmaMm, double smoothingMm, double peakMm, long seed) {
    }

    DeformedAnatomy(SourceAnatomy source, double[] forward, VectorField velocity, RandomAnatomy.Parameters parameters,
                    List<LocalRedraw> redraws) {
        this.source = source;
        this.centre = source.brainCentroid();
        this.forward = forward.clone();
        this.m = invert3(forward);
        this.velocity = velocity;
        this.displacement = velocity.exponential();
        this.parameters = parameters;
        this.redraws = List.copyOf(redraws);
    }

    public SourceAnatomy source() {
        return source;
    }

    /** What was drawn; null for the undeformed source. */
    public RandomAnatomy.Parameters parameters() {
        return parameters;
    }

    public List<LocalRedraw> redraws() {
        return redraws;
    }

    /** The source world point (mm) that patient point p shows, into out. */
    public void toSource(double px, double py, double pz, double[] out) {
        double qx = -px, qy = -py, qz = pz;
        double[] c = centre;
        double wx = c[0] + m[0] * qx + m[1] * qy + m[2] * qz;
        double wy = c[1] + m[3] * qx + m[4] * qy + m[5] * qz;
        double wz = c[2] + m[6] * qx + m[7] * qy + m[8] * qz;
        displacement.sample(wx, wy, wz, out);
        out[0] += wx;
        out[1] += wy;
        out[2] += wz;
    }

    /** The label at patient point p. */
    public int labelAt(double px, double py, double pz) {
        double[] w = new double[3];
        toSource(px, py, pz, w);
        return source.sample(w[0], w[1], w[2], null);
    }

    /**
     * An axial plane of the new head: pixel (r, c) lies at patient (x0 + c * spacing, y0 + r * spacing, z), rows
     * toward posterior and columns toward the patient's left, as DICOM axial images are shown.
     *
     * @param labels receives the labels, rows x columns
     * @param t1     receives the source's T1 value there (trilinear), or null
     */
    public void axial(double x0, double y0, double z, int rows, int columns, double spacing, byte[] labels, float[] t1) {
        double[] w = new double[3];
        float[] value = new float[1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                toSource(x0 + c * spacing, y0 + r * spacing, z, w);
                int p = r * columns + c;
                labels[p] = (byte) source.sample(w[0], w[1], w[2], t1 == null ? null : value);
                if (t1 != null) {
                    t1[p] = value[0];
                }
            }
        }
    }

    /**
     * Where the new head is, from its labels sampled every {@code STEP_MM} over a 260 mm cube around the origin:
     * the head's extent along z (any label but background), the brain's (labels 2..7) centroid and z extent.
     */
    public record Extent(double headZMin, double headZMax, double brainZMin, double brainZMax, double[] brainCentroid) {
        public double headHeight() {
            return headZMax - headZMin;
        }
    }

    static final double STEP_MM = 2, HALF_BOX_MM = 130;

    public synchronized Extent extent() {
        if (extent == null) {
            double hz0 = Double.MAX_VALUE, hz1 = -Double.MAX_VALUE, bz0 = Double.MAX_VALUE, bz1 = -Double.MAX_VALUE;
            double[] sum = new double[3];
            long n = 0;
            double[] w = new double[3];
            for (double z = -HALF_BOX_MM; z <= HALF_BOX_MM; z += STEP_MM) {
                for (double y = -HALF_BOX_MM; y <= HALF_BOX_MM; y += STEP_MM) {
                    for (double x = -HALF_BOX_MM; x <= HALF_BOX_MM; x += STEP_MM) {
                        toSource(x, y, z, w);
                        int l = source.sample(w[0], w[1], w[2], null);
                        if (l == TissueLabel.BACKGROUND.value()) {
                            continue;
                        }
                        hz0 = Math.min(hz0, z);
                        hz1 = Math.max(hz1, z);
                        if (l >= TissueLabel.CSF.value()) {
                            bz0 = Math.min(bz0, z);
                            bz1 = Math.max(bz1, z);
                            sum[0] += x;
                            sum[1] += y;
                            sum[2] += z;
                            n++;
                        }
                    }
                }
            }
            if (n == 0) {
                throw new IllegalStateException("the deformed head has no brain within " + HALF_BOX_MM + " mm of the origin");
            }
            extent = new Extent(hz0, hz1, bz0, bz1, new double[] {sum[0] / n, sum[1] / n, sum[2] / n});
        }
        return extent;
    }

    /**
     * Smallest and largest Jacobian determinant of the whole pull-back (affine part times deformation), over the
     * velocity grid; both positive for a map that folds nowhere.
     */
    public double[] jacobianRange() {
        double[] d = displacement.jacobianRange();
        double affine = det3(m);
        return new double[] {d[0] * affine, d[1] * affine};
    }

    /**
     * Volume (ml) of the source's lateral ventricles in this head: the patient points within 80 mm of the origin
     * (every 1 mm) whose source point lies in the ventricle mask. For the by-eye and test checks of enlargement.
     */
    public double ventricleMillilitres() {
        double[] w = new double[3];
        long n = 0;
        for (int z = -80; z <= 80; z++) {
            for (int y = -80; y <= 80; y++) {
                for (int x = -60; x <= 60; x++) {
                    toSource(x, y, z, w);
                    if (source.inVentricles(w[0], w[1], w[2])) {
                        n++;
                    }
                }
            }
        }
        return n / 1000.0;
    }

    /** Largest displacement of the deformation part (mm). */
    public double maxDisplacementMm() {
        return displacement.maxNorm();
    }

    /**
     * The same head with new random deformations around axial planes: for each redraw a smooth random velocity (the
     * same kind as the global one, smoothed by {@code smoothingMm}, peak {@code peakMm}) weighted by a Gaussian window of {@code sigmaMm} in the patient
     * z of each point (the affine part's z, around {@code zMm}), added to the velocity and integrated again once for
     * all of them. Far from the planes the head is unchanged; near them the anatomy is redrawn, and the whole stays
     * one diffeomorphism, so labels and image move together.
     */
    public DeformedAnatomy withLocalRedraws(List<LocalRedraw> added) {
        VectorField v = velocity.copy();
        for (LocalRedraw redraw : added) {
            VectorField local = VectorField.smoothRandom(velocity, redraw.smoothingMm(), redraw.peakMm(), new Random(redraw.seed()));
            double[] c = centre;
            for (int k = 0; k < local.nz; k++) {
                for (int j = 0; j < local.ny; j++) {
                    for (int i = 0; i < local.nx; i++) {
                        double dx = local.world(0, i) - c[0], dy = local.world(1, j) - c[1], dz = local.world(2, k) - c[2];
                        double patientZ = forward[6] * dx + forward[7] * dy + forward[8] * dz;
                        double t = (patientZ - redraw.zMm()) / redraw.sigmaMm();
                        double window = StrictMath.exp(-0.5 * t * t);
                        int p = 3 * (i + local.nx * (j + local.ny * k));
                        for (int a = 0; a < 3; a++) {
                            local.v[p + a] *= (float) window;
                        }
                    }
                }
            }
            v.add(local);
        }
        List<LocalRedraw> all = new ArrayList<>(redraws);
        all.addAll(added);
        return new DeformedAnatomy(source, forward, v, parameters, all);
    }

    static double det3(double[] a) {
        return a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
    }

    static double[] invert3(double[] a) {
        double det = det3(a);
        return new double[] {
                (a[4] * a[8] - a[5] * a[7]) / det, (a[2] * a[7] - a[1] * a[8]) / det, (a[1] * a[5] - a[2] * a[4]) / det,
                (a[5] * a[6] - a[3] * a[8]) / det, (a[0] * a[8] - a[2] * a[6]) / det, (a[2] * a[3] - a[0] * a[5]) / det,
                (a[3] * a[7] - a[4] * a[6]) / det, (a[1] * a[6] - a[0] * a[7]) / det, (a[0] * a[4] - a[1] * a[3]) / det};
    }
}
