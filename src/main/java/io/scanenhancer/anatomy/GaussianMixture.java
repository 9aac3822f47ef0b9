package io.scanenhancer.anatomy;

import java.util.Arrays;

/**
 * One-dimensional Gaussian mixtures fitted by expectation-maximisation on weighted samples (a histogram of an 8-bit
 * volume is 256 weighted samples, so a whole brain fits in milliseconds and exactly as on the voxels).
 *
 * <p>{@link #fitWithPartialVolume} adds, between each pair of adjacent pure classes, a mixed class for voxels that
 * hold some of both. Without it the mixed voxels drag the pure means towards each other (on ch2 the CSF mean moves
 * from 32 to 49) and the boundary between two classes lands where the narrower class ends rather than where a voxel
 * is half one and half the other. A mixed voxel's fraction is taken as uniform on [0, 1]; its intensity is
 * approximated by one Gaussian with that mixture's mean (the midpoint) and variance
 * ((sd_a^2 + sd_b^2) / 2 + (mean_b - mean_a)^2 / 12). The mixed classes have their own weights but no free mean or
 * variance; each pure class is re-estimated from its own responsibilities only (the usual simplification: the tied
 * parameters are not differentiated through), so the iteration is EM-like rather than exact EM for the tied model.
 */
public final class GaussianMixture {
    private static final double TWO_PI = 2 * Math.PI;

    /**
     * A fitted mixture. {@code mean}, {@code sd}, {@code weight}: the pure classes in ascending order of mean.
     * {@code mixedWeight[c]}: the weight of the class mixing pure classes c and c + 1 (empty for a plain fit).
     */
    public record Fit(double[] mean, double[] sd, double[] weight, double[] mixedWeight, int iterations, double logLikelihood) {
        public int classes() {
            return mean.length;
        }

        /**
         * The intensities where a voxel is half class c and half class c + 1 under a linear partial-volume model: the
         * hard boundaries that give each voxel the class that makes up most of it.
         */
        public double[] halfwayThresholds() {
            double[] t = new double[mean.length - 1];
            for (int c = 0; c < t.length; c++) {
                t[c] = (mean[c] + mean[c + 1]) / 2;
            }
            return t;
        }

        /** Index of the pure class with the highest posterior for x (partial-volume classes not counted). */
        public int mostProbableClass(double x) {
            int best = 0;
            double bestP = -1;
            for (int c = 0; c < mean.length; c++) {
                double p = weight[c] * density(x, mean[c], sd[c]);
                if (p > bestP) {
                    bestP = p;
                    best = c;
                }
            }
            return best;
        }
    }

    private GaussianMixture() {
    }

    /** Plain K-class mixture, K = initialMeans.length, started at those means with a common spread. */
    public static Fit fit(double[] x, double[] w, double[] initialMeans, int maxIterations) {
        return run(x, w, initialMeans, maxIterations, false);
    }

    /** K pure classes and K - 1 tied partial-volume classes between neighbours (see the class comment). */
    public static Fit fitWithPartialVolume(double[] x, double[] w, double[] initialMeans, int maxIterations) {
        return run(x, w, initialMeans, maxIterations, true);
    }

    private static Fit run(double[] x, double[] w, double[] initialMeans, int maxIterations, boolean partialVolume) {
        if (x.length != w.length || x.length == 0 || initialMeans.length < 1) {
            throw new IllegalArgumentException("need samples, matching weights and at least one class");
        }
        int k = initialMeans.length;
        double[] mean = initialMeans.clone();
        Arrays.sort(mean);
        double total = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            total += w[i];
            if (w[i] > 0) {
                lo = Math.min(lo, x[i]);
                hi = Math.max(hi, x[i]);
            }
        }
        // a floor keeps a class from collapsing onto one histogram bin
        double sdFloor = Math.max(1e-6, 1e-3 * (hi - lo));
        double[] sd = new double[k];
        Arrays.fill(sd, Math.max(sdFloor, (hi - lo) / (4.0 * k)));
        int m = partialVolume ? 2 * k - 1 : k; // components: pure at even indices, mixed at odd ones
        double[] pi = new double[m];
        Arrays.fill(pi, 1.0 / m);
        double[] cm = new double[m], cs = new double[m], p = new double[m];
        double previous = Double.NEGATIVE_INFINITY, logLikelihood = previous;
        int iteration = 0;
        while (iteration < maxIterations) {
            iteration++;
            components(mean, sd, partialVolume, cm, cs);
            double[] n = new double[m], sx = new double[m], sxx = new double[m];
            logLikelihood = 0;
            for (int i = 0; i < x.length; i++) {
                if (w[i] <= 0) {
                    continue;
                }
                double sum = 0;
                for (int c = 0; c < m; c++) {
                    p[c] = pi[c] * density(x[i], cm[c], cs[c]);
                    sum += p[c];
                }
                if (sum <= 0) {
                    continue; // far outside every class: no information about any
                }
                logLikelihood += w[i] * Math.log(sum);
                for (int c = 0; c < m; c++) {
                    double r = w[i] * p[c] / sum;
                    n[c] += r;
                    sx[c] += r * x[i];
                    sxx[c] += r * x[i] * x[i];
                }
            }
            for (int c = 0; c < m; c++) {
                pi[c] = n[c] / total;
            }
            for (int c = 0; c < k; c++) {
                int j = partialVolume ? 2 * c : c;
                if (n[j] > 0) {
                    mean[c] = sx[j] / n[j];
                    sd[c] = Math.max(sdFloor, Math.sqrt(Math.max(0, sxx[j] / n[j] - mean[c] * mean[c])));
                }
            }
            if (Math.abs(logLikelihood - previous) <= 1e-9 * Math.abs(logLikelihood)) {
                break;
            }
            previous = logLikelihood;
        }
        double[] weight = new double[k], mixed = new double[partialVolume ? k - 1 : 0];
        for (int c = 0; c < k; c++) {
            weight[c] = pi[partialVolume ? 2 * c : c];
        }
        for (int c = 0; c < mixed.length; c++) {
            mixed[c] = pi[2 * c + 1];
        }
        return new Fit(mean, sd, weight, mixed, iteration, logLikelihood);
    }

    private static void components(double[] mean, double[] sd, boolean partialVolume, double[] cm, double[] cs) {
        if (!partialVolume) {
            System.arraycopy(mean, 0, cm, 0, mean.length);
            System.arraycopy(sd, 0, cs, 0, sd.length);
            return;
        }
        for (int c = 0; c < mean.length; c++) {
            cm[2 * c] = mean[c];
            cs[2 * c] = sd[c];
            if (c + 1 < mean.length) {
                double d = mean[c + 1] - mean[c];
                cm[2 * c + 1] = (mean[c] + mean[c + 1]) / 2;
                cs[2 * c + 1] = Math.sqrt((sd[c] * sd[c] + sd[c + 1] * sd[c + 1]) / 2 + d * d / 12);
            }
        }
    }

    static double density(double x, double mean, double sd) {
        double z = (x - mean) / sd;
        return Math.exp(-0.5 * z * z) / (sd * Math.sqrt(TWO_PI));
    }
}
