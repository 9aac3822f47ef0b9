package io.scanenhancer.image;

/**
 * The standard deviation of an image's white noise, by Immerkær's estimator (J. Immerkær, "Fast noise variance
 * estimation", Computer Vision and Image Understanding 64(2), 1996, eq. 5): the mean absolute response to the
 * difference of two Laplacians [[1,-2,1],[-2,4,-2],[1,-2,1]], which cancels locally planar structure, times
 * sqrt(pi/2) / 6. Edges leak into it, so on a noiseless image with structure it is small but not zero.
 */
public final class NoiseEstimate {
    private NoiseEstimate() {
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
                int i = y * w + x;
                double r = p[i - w - 1] - 2 * p[i - w] + p[i - w + 1]
                        - 2 * p[i - 1] + 4 * p[i] - 2 * p[i + 1]
                        + p[i + w - 1] - 2 * p[i + w] + p[i + w + 1];
                sum += Math.abs(r);
            }
        }
        return Math.sqrt(Math.PI / 2) * sum / (6.0 * (w - 2) * (h - 2));
    }
}
