package io.scanenhancer.enhance;

import io.scanenhancer.image.FloatImage;

/**
 * The degradation the model inverts: each low-resolution pixel is the mean of a scale x scale block.
 * The same operator is used to make training pairs, to check LR consistency and to project outputs back onto
 * the set of images that reproduce their input.
 */
public final class BoxDegradation {
    private BoxDegradation() {
    }

    public static FloatImage downscale(FloatImage in, int scale) {
        int h = in.height() / scale, w = in.width() / scale;
        float[] out = new float[h * w];
        float norm = 1f / (scale * scale);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        s += in.pixels()[(y * scale + dy) * in.width() + x * scale + dx];
                    }
                }
                out[y * w + x] = (float) (s * norm);
            }
        }
        return new FloatImage(h, w, out);
    }

    /**
     * Exact projection onto {z : downscale(z) = lowResolution}: adds each block's residual to all its pixels.
     * Because the box operator averages, this is the orthogonal (least-change) correction.
     */
    public static FloatImage project(FloatImage highResolution, FloatImage lowResolution, int scale) {
        FloatImage down = downscale(highResolution, scale);
        float[] out = highResolution.pixels().clone();
        int w = highResolution.width();
        for (int y = 0; y < lowResolution.height(); y++) {
            for (int x = 0; x < lowResolution.width(); x++) {
                float d = lowResolution.at(y, x) - down.at(y, x);
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        out[(y * scale + dy) * w + x * scale + dx] += d;
                    }
                }
            }
        }
        return new FloatImage(highResolution.height(), w, out);
    }

    /** Root mean square of downscale(highResolution) - lowResolution. */
    public static double consistencyRmse(FloatImage highResolution, FloatImage lowResolution, int scale) {
        FloatImage down = downscale(highResolution, scale);
        double s = 0;
        for (int i = 0; i < down.pixels().length; i++) {
            double d = down.pixels()[i] - lowResolution.pixels()[i];
            s += d * d;
        }
        return Math.sqrt(s / down.pixels().length);
    }
}
