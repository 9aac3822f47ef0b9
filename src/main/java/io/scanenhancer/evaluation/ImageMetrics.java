package io.scanenhancer.evaluation;

import io.scanenhancer.enhance.BoxDegradation;
import io.scanenhancer.image.FloatImage;

/** PSNR, SSIM and LR consistency, each against a stated data range. */
public final class ImageMetrics {
    private ImageMetrics() {
    }

    /** PSNR in dB over the pixels where {@code mask} is true (all pixels when mask is null). */
    public static double psnr(FloatImage estimate, FloatImage truth, boolean[] mask, double dataRange) {
        double s = 0;
        long n = 0;
        for (int i = 0; i < truth.pixels().length; i++) {
            if (mask == null || mask[i]) {
                double d = estimate.pixels()[i] - truth.pixels()[i];
                s += d * d;
                n++;
            }
        }
        double mse = s / Math.max(1, n);
        return mse == 0 ? 100 : 10 * Math.log10(dataRange * dataRange / mse);
    }

    /**
     * Mean SSIM (Wang et al. 2004) with an 11x11 Gaussian window (sigma 1.5), K1 = 0.01, K2 = 0.03, over the
     * positions where the whole window lies inside the image.
     */
    public static double ssim(FloatImage x, FloatImage y, double dataRange) {
        int h = x.height(), w = x.width(), r = 5;
        if (h < 2 * r + 1 || w < 2 * r + 1) {
            return Double.NaN;
        }
        double[] g = new double[2 * r + 1];
        double gs = 0;
        for (int i = -r; i <= r; i++) {
            g[i + r] = Math.exp(-i * i / (2 * 1.5 * 1.5));
            gs += g[i + r];
        }
        for (int i = 0; i < g.length; i++) {
            g[i] /= gs;
        }
        double[] mx = blur(x.pixels(), null, h, w, g), my = blur(y.pixels(), null, h, w, g);
        double[] sxx = blur(x.pixels(), x.pixels(), h, w, g), syy = blur(y.pixels(), y.pixels(), h, w, g);
        double[] sxy = blur(x.pixels(), y.pixels(), h, w, g);
        double c1 = Math.pow(0.01 * dataRange, 2), c2 = Math.pow(0.03 * dataRange, 2);
        double total = 0;
        long n = 0;
        for (int yy = r; yy < h - r; yy++) {
            for (int xx = r; xx < w - r; xx++) {
                int i = yy * w + xx;
                double vx = sxx[i] - mx[i] * mx[i], vy = syy[i] - my[i] * my[i], cxy = sxy[i] - mx[i] * my[i];
                total += (2 * mx[i] * my[i] + c1) * (2 * cxy + c2) / ((mx[i] * mx[i] + my[i] * my[i] + c1) * (vx + vy + c2));
                n++;
            }
        }
        return total / n;
    }

    /** Separable Gaussian filter of a, or of a*b when b is given; borders clamp (only interior values are used). */
    private static double[] blur(float[] a, float[] b, int h, int w, double[] g) {
        int r = g.length / 2;
        double[] tmp = new double[h * w], out = new double[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int k = -r; k <= r; k++) {
                    int xx = Math.min(w - 1, Math.max(0, x + k));
                    double v = a[y * w + xx];
                    s += g[k + r] * (b == null ? v : v * b[y * w + xx]);
                }
                tmp[y * w + x] = s;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int k = -r; k <= r; k++) {
                    s += g[k + r] * tmp[Math.min(h - 1, Math.max(0, y + k)) * w + x];
                }
                out[y * w + x] = s;
            }
        }
        return out;
    }

    /** RMS of boxDown(estimate) - input, as a percentage of the data range. */
    public static double lrConsistencyPercent(FloatImage estimate, FloatImage lowRes, double dataRange) {
        return 100 * BoxDegradation.consistencyRmse(estimate, lowRes, 2) / dataRange;
    }
}
