package io.scanenhancer.diffusion;

/**
 * Running per-pixel sum and sum of squares of an image's posterior samples, in double and in the order the samples
 * are added: adding them in sample order gives the same mean and spread however the samples were batched.
 */
final class PosteriorMoments {
    private final int height;
    private final int width;
    private final double[] sum;
    private final double[] sumSq;
    private int samples;

    PosteriorMoments(int height, int width) {
        this.height = height;
        this.width = width;
        this.sum = new double[height * width];
        this.sumSq = new double[height * width];
    }

    /** Adds the height x width top-left crop of a padded sample starting at {@code offset}, rows {@code stride} apart. */
    void add(float[] padded, int offset, int stride) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = padded[offset + y * stride + x];
                sum[y * width + x] += v;
                sumSq[y * width + x] += v * v;
            }
        }
        samples++;
    }

    float[] mean() {
        float[] mean = new float[sum.length];
        for (int p = 0; p < mean.length; p++) {
            mean[p] = (float) (sum[p] / samples);
        }
        return mean;
    }

    /** Per-pixel sample standard deviation; null for a single sample. */
    float[] spread() {
        if (samples < 2) {
            return null;
        }
        float[] spread = new float[sum.length];
        for (int p = 0; p < spread.length; p++) {
            double m = sum[p] / samples;
            spread[p] = (float) Math.sqrt(Math.max(0, (sumSq[p] - samples * m * m) / (samples - 1)));
        }
        return spread;
    }
}
