package io.scanenhancer.anatomy;

import java.util.List;
import java.util.Random;

/**
 * Draws a new head from a seed: the source anatomy (ch2) deformed by a random diffeomorphism and placed by a random
 * affine map. Every number comes from {@code new Random(seed)} in a fixed order and the arithmetic is Java's strict
 * floating point (StrictMath for the transcendental functions), so the same seed gives the same head bit for bit.
 * <ul>
 * <li>Size: isotropic scale U({@value #SCALE_MIN}, {@value #SCALE_MAX}) times a per-axis factor
 *     U({@value #AXIS_MIN}, {@value #AXIS_MAX}) (head shape: long or short, broad or narrow).</li>
 * <li>Pose: rotation about the left-right axis (pitch, nodding) U(-{@value #PITCH_DEG}, {@value #PITCH_DEG}) degrees,
 *     about the anterior-posterior axis (roll) and the vertical axis (yaw) U(-{@value #ROLL_YAW_DEG},
 *     {@value #ROLL_YAW_DEG}) degrees: how heads lie in a head coil.</li>
 * <li>Shape: a stationary velocity field, white noise smoothed by a Gaussian of {@value #SMOOTHING_MM} mm, scaled
 *     so that its largest vector is U({@value #PEAK_MIN_MM}, {@value #PEAK_MAX_MM}) mm, integrated by scaling and
 *     squaring on a {@value #GRID_MM} mm grid (the integrated displacement's largest vector is close to that peak).</li>
 * <li>Ventricles: the gradient of the lateral ventricles' mask smoothed by {@value #VENTRICLE_SMOOTHING_MM} mm,
 *     scaled to a peak of U(0, {@value #VENTRICLE_MAX_MM}) mm, added to the velocity field before integration: the
 *     ventricle walls move outward by up to about that much and push the tissue around them away (ventricular
 *     enlargement, as with atrophy or ageing), and the map stays one diffeomorphism.</li>
 * </ul>
 */
public final class RandomAnatomy {
    public static final double SCALE_MIN = 0.90, SCALE_MAX = 1.10;
    public static final double AXIS_MIN = 0.95, AXIS_MAX = 1.05;
    public static final double PITCH_DEG = 10, ROLL_YAW_DEG = 5;
    public static final double SMOOTHING_MM = 20;
    public static final double PEAK_MIN_MM = 2, PEAK_MAX_MM = 6;
    public static final double VENTRICLE_MAX_MM = 3;
    static final double VENTRICLE_SMOOTHING_MM = 4;
    public static final double GRID_MM = 4;
    static final double MARGIN_MM = 24;

    /** What a seed drew. Angles in degrees. */
    public record Parameters(long seed, double scale, double[] axisScale, double pitchDeg, double rollDeg, double yawDeg,
                             double deformationPeakMm, double ventricleExpansionMm) {
    }

    private RandomAnatomy() {
    }

    public static DeformedAnatomy draw(SourceAnatomy source, long seed) {
        // java.util.Random's first outputs for neighbouring seeds are nearly equal: mix the seed first (SplitMix64)
        Random random = new Random(mix(seed));
        double scale = uniform(random, SCALE_MIN, SCALE_MAX);
        double[] axis = {uniform(random, AXIS_MIN, AXIS_MAX), uniform(random, AXIS_MIN, AXIS_MAX), uniform(random, AXIS_MIN, AXIS_MAX)};
        double pitch = uniform(random, -PITCH_DEG, PITCH_DEG), roll = uniform(random, -ROLL_YAW_DEG, ROLL_YAW_DEG),
                yaw = uniform(random, -ROLL_YAW_DEG, ROLL_YAW_DEG);
        double peak = uniform(random, PEAK_MIN_MM, PEAK_MAX_MM);
        double ventricle = uniform(random, 0, VENTRICLE_MAX_MM);
        Parameters p = new Parameters(seed, scale, axis, pitch, roll, yaw, peak, ventricle);

        VectorField v = VectorField.smoothRandom(grid(source), SMOOTHING_MM, peak, random);
        v.add(ventricleExpansion(v, source, ventricle));
        return new DeformedAnatomy(source, forward(p), v, p, List.of());
    }

    /** The source itself, undeformed and unmoved (its brain centroid at the patient origin). */
    public static DeformedAnatomy identity(SourceAnatomy source) {
        return new DeformedAnatomy(source, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, grid(source), null, List.of());
    }

    static VectorField grid(SourceAnatomy source) {
        double[][] box = source.worldBox();
        double[] min = new double[3], max = new double[3];
        for (int a = 0; a < 3; a++) {
            min[a] = box[0][a] - MARGIN_MM;
            max[a] = box[1][a] + MARGIN_MM;
        }
        return VectorField.covering(min, max, GRID_MM);
    }

    /** R S: scale along the source's axes, then pitch (about x), roll (about y), yaw (about z). */
    static double[] forward(Parameters p) {
        double[] s = {p.scale() * p.axisScale()[0], 0, 0, 0, p.scale() * p.axisScale()[1], 0, 0, 0, p.scale() * p.axisScale()[2]};
        double[] r = multiply(rotationZ(p.yawDeg()), multiply(rotationY(p.rollDeg()), rotationX(p.pitchDeg())));
        return multiply(r, s);
    }

    /**
     * The gradient of the ventricle mask smoothed by a Gaussian of {@value #VENTRICLE_SMOOTHING_MM} mm, scaled so that
     * its largest vector is {@code peakMm} long. It points into the ventricles, so the pull-back samples the ventricle
     * from up to that far outside its wall: the ventricles grow outward and the tissue around them is pushed away.
     */
    static VectorField ventricleExpansion(VectorField grid, SourceAnatomy source, double peakMm) {
        VectorField fraction = grid.copy();
        fraction.scale(0);
        int sub = (int) Math.round(grid.h);
        for (int k = 0; k < grid.nz; k++) {
            for (int j = 0; j < grid.ny; j++) {
                for (int i = 0; i < grid.nx; i++) {
                    int inside = 0;
                    for (int a = 0; a < sub; a++) {
                        for (int b = 0; b < sub; b++) {
                            for (int c = 0; c < sub; c++) {
                                double off = 0.5 - sub / 2.0;
                                if (source.inVentricles(grid.world(0, i) + off + a, grid.world(1, j) + off + b, grid.world(2, k) + off + c)) {
                                    inside++;
                                }
                            }
                        }
                    }
                    fraction.v[3 * (i + grid.nx * (j + grid.ny * k))] = (float) inside / (sub * sub * sub);
                }
            }
        }
        fraction.smooth(VENTRICLE_SMOOTHING_MM / grid.h);
        VectorField gradient = grid.copy();
        gradient.scale(0);
        int[] n = {grid.nx, grid.ny, grid.nz};
        int[] stride = {1, grid.nx, grid.nx * grid.ny};
        for (int k = 0; k < grid.nz; k++) {
            for (int j = 0; j < grid.ny; j++) {
                for (int i = 0; i < grid.nx; i++) {
                    int p = i + grid.nx * (j + grid.ny * k);
                    int[] at = {i, j, k};
                    for (int a = 0; a < 3; a++) {
                        int lo = at[a] > 0 ? -1 : 0, hi = at[a] < n[a] - 1 ? 1 : 0;
                        if (hi > lo) {
                            gradient.v[3 * p + a] = (float) ((fraction.v[3 * (p + hi * stride[a])] - fraction.v[3 * (p + lo * stride[a])])
                                    / ((hi - lo) * grid.h));
                        }
                    }
                }
            }
        }
        gradient.scale(peakMm / Math.max(1e-12, gradient.maxNorm()));
        return gradient;
    }

    static long mix(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double uniform(Random random, double min, double max) {
        return min + (max - min) * random.nextDouble();
    }

    private static double[] rotationX(double deg) {
        double c = StrictMath.cos(StrictMath.toRadians(deg)), s = StrictMath.sin(StrictMath.toRadians(deg));
        return new double[] {1, 0, 0, 0, c, -s, 0, s, c};
    }

    private static double[] rotationY(double deg) {
        double c = StrictMath.cos(StrictMath.toRadians(deg)), s = StrictMath.sin(StrictMath.toRadians(deg));
        return new double[] {c, 0, s, 0, 1, 0, -s, 0, c};
    }

    private static double[] rotationZ(double deg) {
        double c = StrictMath.cos(StrictMath.toRadians(deg)), s = StrictMath.sin(StrictMath.toRadians(deg));
        return new double[] {c, -s, 0, s, c, 0, 0, 0, 1};
    }

    static double[] multiply(double[] a, double[] b) {
        double[] out = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                out[3 * r + c] = a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c];
            }
        }
        return out;
    }
}
