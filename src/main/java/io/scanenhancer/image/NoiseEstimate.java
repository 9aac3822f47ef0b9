package io.scanenhancer.image;

/**
 * The standard deviation of an image's white noise, by Immerkær's estimator (J. Immerkær, "Fast noise variance
 * estimation", Computer Vision and Image Understanding 64(2), 1996, eq. 5): the mean absolute response to the
 * difference of two Laplacians [[1,-2,1],[-2,4,-2],[1,-2,1]], which cancels locally planar structure, times
 * sqrt(pi/2) / 6. Edges leak into it, so on a noiseless image with structure it is small but not zero.
 * {@link #robustSd} takes the median of the response instead (as Donoho and Johnstone's wavelet estimator does), which
 * edges, a minority of the pixels, barely move.
 */
public final class NoiseEstimate {
    private NoiseEstimate() {
    }

    /** The same response's median absolute value / (0.6745 x 6): the sd of Gaussian noise, robust to edges. */
    public static double robustSd(FloatImage img) {
        int h = img.height(), w = img.width();
        if (h < 3 || w < 3) {
            return 0;
        }
        float[] p = img.pixels();
        float[] r = new float[(h - 2) * (w - 2)];
        int k = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                r[k++] = Math.abs(response(p, y * w + x, w));
            }
        }
        return median(r) / (0.6744897501960817 * 6);
    }

    /**
     * The median of {@code values} (reordered in place), by Hoare's selection: linear time, where sorting a 512 x 512
     * response took about 30 ms of a k-space slice's 2.7 s.
     */
    static double median(float[] values) {
        int mid = values.length / 2;
        float upper = select(values, mid);
        if (values.length % 2 == 1) {
            return upper;
        }
        float lower = values[0]; // after select, values[0..mid-1] are the ones at or below the mid-th
        for (int i = 1; i < mid; i++) {
            lower = Math.max(lower, values[i]);
        }
        return 0.5 * (lower + upper);
    }

    /** The k-th smallest value; leaves smaller ones before index k and larger ones after it. */
    private static float select(float[] a, int k) {
        int lo = 0, hi = a.length - 1;
        while (lo < hi) {
            float pivot = a[(lo + hi) >>> 1];
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                break;
            }
        }
        return a[k];
    }

    /** The difference of two Laplacians at pixel i of a w-wide image: 36 sigma^2 variance on white noise. */
    private static float response(float[] p, int i, int w) {
        return p[i - w - 1] - 2 * p[i - w] + p[i - w + 1]
                - 2 * p[i - 1] + 4 * p[i] - 2 * p[i + 1]
                + p[i + w - 1] - 2 * p[i + w] + p[i + w + 1];
    }

    public static double sd(FloatImage img) {
        int h = img.height(), w = img.width();
        if (h < 3 || w < 3) {
            return 0;
        }
        float[] p = img.pixels();
        double sum = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                sum += Math.abs(response(p, y * w + x, w));
            }
        }
        return Math.sqrt(Math.PI / 2) * sum / (6.0 * (w - 2) * (h - 2));
    }
}
