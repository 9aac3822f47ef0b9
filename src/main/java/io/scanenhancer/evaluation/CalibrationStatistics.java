package io.scanenhancer.evaluation;

import java.util.Arrays;

/**
 * The statistics that say whether a per-pixel standard deviation predicts the error it stands beside: the Spearman
 * rank correlation (does a larger spread mark a larger error?), the coverage of a +-k sd interval (is it wide enough?)
 * and the scale factor that would make it cover a target fraction.
 */
public final class CalibrationStatistics {
    private CalibrationStatistics() {
    }

    /**
     * Ranks 1..n of {@code values}; tied values share the mean of the ranks they span (the "fractional" ranking
     * Spearman's coefficient needs when ties occur: a flat spread must not look ordered).
     */
    public static double[] ranks(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && Double.compare(values[order[j + 1]], values[order[i]]) == 0) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                ranks[order[t]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }

    /**
     * Spearman's rank correlation: Pearson's correlation of the fractional ranks, which is the exact coefficient with
     * ties (the 1 - 6 sum d^2 / (n (n^2 - 1)) shortcut is not). NaN when either side is constant or n < 2.
     */
    public static double spearman(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " values against " + b.length);
        }
        return pearson(ranks(a), ranks(b));
    }

    static double pearson(double[] a, double[] b) {
        int n = a.length;
        if (n < 2) {
            return Double.NaN;
        }
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    /** Fraction of pixels whose |error| is at most {@code k} times their standard deviation (the +-k sd interval). */
    public static double coverage(double[] absError, double[] sd, double k) {
        if (absError.length != sd.length || absError.length == 0) {
            throw new IllegalArgumentException(absError.length + " errors against " + sd.length + " deviations");
        }
        long inside = 0;
        for (int i = 0; i < absError.length; i++) {
            if (absError[i] <= k * sd[i]) {
                inside++;
            }
        }
        return (double) inside / absError.length;
    }

    /**
     * The smallest c for which +-k c sd covers at least {@code target} of the pixels: the ceil(target n)-th smallest
     * of |error| / (k sd). A pixel with sd 0 needs c = infinity unless its error is 0 too (then any c covers it), so
     * a spread that is zero where the error is not gives an infinite factor: it cannot be calibrated by scaling.
     */
    public static double scaleForCoverage(double[] absError, double[] sd, double k, double target) {
        if (absError.length != sd.length || absError.length == 0) {
            throw new IllegalArgumentException(absError.length + " errors against " + sd.length + " deviations");
        }
        if (!(target > 0 && target <= 1)) {
            throw new IllegalArgumentException("target coverage must lie in (0, 1], was " + target);
        }
        double[] ratio = new double[absError.length];
        for (int i = 0; i < ratio.length; i++) {
            ratio[i] = absError[i] == 0 ? 0 : sd[i] == 0 ? Double.POSITIVE_INFINITY : absError[i] / (k * sd[i]);
        }
        Arrays.sort(ratio);
        int needed = (int) Math.ceil(target * ratio.length - 1e-9);
        return ratio[Math.max(0, needed - 1)];
    }
}
