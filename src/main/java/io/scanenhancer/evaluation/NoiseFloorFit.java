package io.scanenhancer.evaluation;

import java.util.List;

/**
 * One factor c cannot calibrate a self-test spread S for clean and noisy inputs at once: on ch2 the self-test
 * over-states the error (c about 0.6 covers 95 %), on the noisy out-of-domain acquisitions it under-states it (c about
 * 1.3), because the error there is mostly noise the self-test's smoother input does not carry. The spread
 * c (S + f sigma), sigma the input's noise sd, has a second parameter for that. The fit takes the floor f at which the
 * validation sets need the most nearly equal factor (the ratio of the largest to the smallest is smallest; ties go to
 * the smaller f), and c as the geometric mean of their factors there.
 */
public final class NoiseFloorFit {
    public static final double STEP = 0.05, MAX_FLOOR = 20;

    /** @param worstRatio the largest over the smallest validation set's factor at {@code floor} (1: all agree) */
    public record Fit(double floor, double scale, double worstRatio) {
    }

    private NoiseFloorFit() {
    }

    /** @param sets per validation set its pooled {absolute error, spread, input noise sd} per pixel; two at least */
    public static Fit fit(List<double[][]> sets, double k, double target) {
        if (sets.size() < 2) {
            throw new IllegalArgumentException("a noise floor needs two validation sets at least, got " + sets.size());
        }
        Fit best = null;
        for (int step = 0; step * STEP <= MAX_FLOOR + 1e-9; step++) {
            double f = step * STEP;
            double logSum = 0, min = Double.POSITIVE_INFINITY, max = 0;
            for (double[][] s : sets) {
                double c = CalibrationStatistics.scaleForCoverage(s[0], withFloor(s[1], s[2], f), k, target);
                logSum += Math.log(c);
                min = Math.min(min, c);
                max = Math.max(max, c);
            }
            double ratio = max / min;
            if (best == null || ratio < best.worstRatio() - 1e-12) {
                best = new Fit(f, Math.exp(logSum / sets.size()), ratio);
            }
        }
        return best;
    }

    /** spread + f x noise sd, per pixel. */
    public static double[] withFloor(double[] spread, double[] noiseSd, double f) {
        double[] out = new double[spread.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = spread[i] + f * noiseSd[i];
        }
        return out;
    }
}
