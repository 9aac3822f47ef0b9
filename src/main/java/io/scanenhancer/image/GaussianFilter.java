package io.scanenhancer.image;

/**
 * Separable Gaussian filtering of a row-major image and its first and second derivatives, with the border replicated
 * (so a constant image stays constant and has zero derivatives up to the edge). Kernels reach 3 sigma and are
 * normalised: the smoothing kernel sums to 1, the derivative kernels are the exact derivatives of that sampled kernel's
 * continuous Gaussian, corrected so that a ramp (first) and a parabola (second) give the continuous answer.
 */
public final class GaussianFilter {
    private GaussianFilter() {
    }

    /** Gaussian blur with standard deviation sigma pixels. */
    public static float[] blur(float[] image, int rows, int columns, double sigma) {
        return derivative(image, rows, columns, sigma, 0, 0);
    }

    /**
     * The Gaussian-smoothed image differentiated {@code orderX} times along columns and {@code orderY} times along
     * rows (each 0, 1 or 2), per pixel.
     */
    public static float[] derivative(float[] image, int rows, int columns, double sigma, int orderX, int orderY) {
        double[] kx = kernel(sigma, orderX), ky = kernel(sigma, orderY);
        int r = (kx.length - 1) / 2;
        float[] tmp = new float[image.length], out = new float[image.length];
        for (int y = 0; y < rows; y++) {
            int row = y * columns;
            for (int x = 0; x < columns; x++) {
                double s = 0;
                for (int t = -r; t <= r; t++) {
                    int xx = Math.min(columns - 1, Math.max(0, x - t));
                    s += kx[t + r] * image[row + xx];
                }
                tmp[row + x] = (float) s;
            }
        }
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < columns; x++) {
                double s = 0;
                for (int t = -r; t <= r; t++) {
                    int yy = Math.min(rows - 1, Math.max(0, y - t));
                    s += ky[t + r] * tmp[yy * columns + x];
                }
                out[y * columns + x] = (float) s;
            }
        }
        return out;
    }

    /**
     * The weight each pixel of a line of {@code length} pixels gives itself in {@link #blur} along that line: the
     * kernel's centre, plus, at the ends, the taps the replicated border folds onto it. A 2-D blur's weight of pixel
     * (y, x) on itself is the product of its row's and its column's.
     */
    public static double[] selfWeights(int length, double sigma) {
        double[] k = kernel(sigma, 0);
        int r = (k.length - 1) / 2;
        double[] w = new double[length];
        for (int x = 0; x < length; x++) {
            for (int t = -r; t <= r; t++) {
                if (Math.min(length - 1, Math.max(0, x - t)) == x) {
                    w[x] += k[t + r];
                }
            }
        }
        return w;
    }

    /** Sampled Gaussian (order 0) or its derivative, convolution form: out(x) = sum_t k[t] in(x - t). */
    static double[] kernel(double sigma, int order) {
        if (!(sigma > 0) || order < 0 || order > 2) {
            throw new IllegalArgumentException("sigma must be > 0 and order 0..2, got " + sigma + ", " + order);
        }
        int r = (int) Math.ceil(3 * sigma);
        double[] g = new double[2 * r + 1];
        double sum = 0;
        for (int t = -r; t <= r; t++) {
            g[t + r] = Math.exp(-t * t / (2 * sigma * sigma));
            sum += g[t + r];
        }
        double[] k = new double[g.length];
        for (int t = -r; t <= r; t++) {
            double gt = g[t + r] / sum;
            k[t + r] = switch (order) {
                case 0 -> gt;
                case 1 -> -t / (sigma * sigma) * gt;
                default -> (t * t - sigma * sigma) / (sigma * sigma * sigma * sigma) * gt;
            };
        }
        if (order > 0) {
            // the truncated, sampled kernel must still answer ramps (order 1: sum t k = -1 in convolution form, i.e.
            // d/dx x = 1) and parabolas (order 2: sum t^2 k = 2) exactly, and constants with 0
            double m0 = 0, mo = 0;
            for (int t = -r; t <= r; t++) {
                m0 += k[t + r];
                mo += Math.pow(t, order) * k[t + r];
            }
            double mean = m0 / k.length;
            for (int t = -r; t <= r; t++) {
                k[t + r] -= mean;
            }
            mo = 0;
            for (int t = -r; t <= r; t++) {
                mo += Math.pow(t, order) * k[t + r];
            }
            double target = order == 1 ? -1 : 2;
            for (int t = -r; t <= r; t++) {
                k[t + r] *= target / mo;
            }
        }
        return k;
    }
}
