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
        java.util.Arrays.sort(r);
        int mid = r.length / 2;
        double median = r.length % 2 == 1 ? r[mid] : 0.5 * (r[mid - 1] + r[mid]);
        return median / (0.6744897501960817 * 6);
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
