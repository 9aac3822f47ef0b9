package io.scanenhancer.enhance;

import io.scanenhancer.image.FloatImage;

/**
 * Bicubic resampling with the Keys kernel (a = -0.75), half-pixel centres and edge samples repeated beyond the
 * border: the textbook interpolation baseline. (The model's conditioning uses libtorch's bicubic, which differs from
 * this by a fraction of a grey level; the network learns whatever its conditioning is, and the baseline is this one.)
 */
public final class Bicubic {
    private static final double A = -0.75;

    private Bicubic() {
    }

    public static FloatImage upscale(FloatImage in, int scale) {
        int h = in.height(), w = in.width();
        int oh = h * scale, ow = w * scale;
        // Separable: first along x into a (h x ow) buffer, then along y.
        float[] tmp = new float[h * ow];
        for (int ox = 0; ox < ow; ox++) {
            double src = (ox + 0.5) / scale - 0.5;
            int x0 = (int) Math.floor(src);
            double[] k = weights(src - x0);
            for (int y = 0; y < h; y++) {
                double s = 0;
                for (int i = 0; i < 4; i++) {
                    s += k[i] * in.pixels()[y * w + clamp(x0 - 1 + i, w)];
                }
                tmp[y * ow + ox] = (float) s;
            }
        }
        float[] out = new float[oh * ow];
        for (int oy = 0; oy < oh; oy++) {
            double src = (oy + 0.5) / scale - 0.5;
            int y0 = (int) Math.floor(src);
            double[] k = weights(src - y0);
            int r0 = clamp(y0 - 1, h) * ow, r1 = clamp(y0, h) * ow, r2 = clamp(y0 + 1, h) * ow, r3 = clamp(y0 + 2, h) * ow;
            for (int ox = 0; ox < ow; ox++) {
                out[oy * ow + ox] = (float) (k[0] * tmp[r0 + ox] + k[1] * tmp[r1 + ox] + k[2] * tmp[r2 + ox] + k[3] * tmp[r3 + ox]);
            }
        }
        return new FloatImage(oh, ow, out);
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }

    private static double[] weights(double t) {
        return new double[] {cubic(t + 1), cubic(t), cubic(1 - t), cubic(2 - t)};
    }

    private static double cubic(double x) {
        x = Math.abs(x);
        if (x <= 1) {
            return ((A + 2) * x - (A + 3)) * x * x + 1;
        }
        if (x < 2) {
            return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
        }
        return 0;
    }
}
