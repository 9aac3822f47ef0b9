package io.scanenhancer.evaluation;

import java.util.List;

/**
 * Kernel distance between two sets of feature vectors, as KID (Binkowski et al. 2018, "Demystifying MMD GANs"): the
 * unbiased estimator of the squared maximum mean discrepancy with the polynomial kernel k(x, y) = (x.y / d + 1)^3,
 * <pre>  MMD^2_u = 1/(m(m-1)) sum_{i != j} k(x_i, x_j) + 1/(n(n-1)) sum_{i != j} k(y_i, y_j) - 2/(mn) sum_{i,j} k(x_i, y_j)</pre>
 * Unlike FID it has no bias that depends on the sample size, which matters with a few hundred patches; being unbiased
 * it can come out slightly negative when the two sets are drawn from the same distribution.
 */
public final class KernelDistance {
    private KernelDistance() {
    }

    public static double kernel(double[] x, double[] y) {
        double dot = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
        }
        double base = dot / x.length + 1;
        return base * base * base;
    }

    /** Unbiased MMD^2 between the two sets (each at least two vectors, all of one dimension). */
    public static double unbiasedMmd2(List<double[]> x, List<double[]> y) {
        int m = x.size(), n = y.size();
        if (m < 2 || n < 2) {
            throw new IllegalArgumentException("the unbiased estimator needs at least two vectors per set, got " + m + " and " + n);
        }
        return withinMean(x) + withinMean(y) - 2 * crossMean(x, y);
    }

    /** Mean of k over ordered pairs i != j. */
    private static double withinMean(List<double[]> x) {
        int m = x.size();
        double s = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                s += kernel(x.get(i), x.get(j));
            }
        }
        return 2 * s / ((double) m * (m - 1));
    }

    private static double crossMean(List<double[]> x, List<double[]> y) {
        double s = 0;
        for (double[] a : x) {
            for (double[] b : y) {
                s += kernel(a, b);
            }
        }
        return s / ((double) x.size() * y.size());
    }
}
