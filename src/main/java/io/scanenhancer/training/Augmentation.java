package io.scanenhancer.training;

import io.scanenhancer.enhance.BoxDegradation;
import io.scanenhancer.image.FloatImage;

import java.util.Random;

/**
 * Makes one training pair from one image so that the model meets data unlike the single T1 volume it learns from:
 * dequantisation of the 8-bit values, flips and 90-degree rotations, gamma, a smooth multiplicative bias field,
 * occasional contrast inversion (T2-like or MONOCHROME1-like), then the degradation with jitter around it
 * (a slight Gaussian blur before the 2x2 box average, and additive noise after it).
 */
final class Augmentation {
    private Augmentation() {
    }

    record Result(int height, int width, float[] highRes, float[] lowRes, float highResMax) {
    }

    static Result apply(TrainingRegion region, Random random) {
        int h = region.height() & ~1, w = region.width() & ~1;
        float[] px = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // dequantise: the volume holds integers 0..255; real data is continuous
                px[y * w + x] = (region.pixels()[y * region.width() + x] + random.nextFloat() - 0.5f) / 255f;
            }
        }
        FloatImage img = orient(new FloatImage(h, w, px), random);
        h = img.height();
        w = img.width();
        px = img.pixels();

        double gamma = Math.exp((random.nextDouble() * 2 - 1) * 0.4);
        double[] bias = new double[5];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (random.nextDouble() * 2 - 1) * 0.25;
        }
        boolean invert = random.nextDouble() < 0.2;
        float max = 0;
        for (int y = 0; y < h; y++) {
            double v = 2.0 * y / (h - 1) - 1;
            for (int x = 0; x < w; x++) {
                double u = 2.0 * x / (w - 1) - 1;
                double value = Math.pow(Math.max(px[y * w + x], 0), gamma);
                value *= Math.exp(bias[0] * u + bias[1] * v + bias[2] * u * v + bias[3] * u * u + bias[4] * v * v);
                if (invert) {
                    value = 1.2 - value;
                }
                px[y * w + x] = (float) value;
                max = Math.max(max, (float) value);
            }
        }
        FloatImage highRes = new FloatImage(h, w, px);
        FloatImage blurred = random.nextBoolean() ? gaussianBlur(highRes, random.nextDouble() * 0.5) : highRes;
        FloatImage lowRes = BoxDegradation.downscale(blurred, 2);
        if (random.nextBoolean()) {
            float sigma = (float) (random.nextDouble() * 0.02 * max);
            float[] l = lowRes.pixels();
            for (int i = 0; i < l.length; i++) {
                l[i] += (float) random.nextGaussian() * sigma;
            }
        }
        return new Result(h, w, px, lowRes.pixels(), max);
    }

    private static FloatImage orient(FloatImage img, Random random) {
        int turns = random.nextInt(4);
        for (int i = 0; i < turns; i++) {
            img = rotate90(img);
        }
        return random.nextBoolean() ? flipHorizontal(img) : img;
    }

    private static FloatImage rotate90(FloatImage img) {
        int h = img.height(), w = img.width();
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[x * h + (h - 1 - y)] = img.pixels()[y * w + x];
            }
        }
        return new FloatImage(w, h, out);
    }

    private static FloatImage flipHorizontal(FloatImage img) {
        int h = img.height(), w = img.width();
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + (w - 1 - x)] = img.pixels()[y * w + x];
            }
        }
        return new FloatImage(h, w, out);
    }

    static FloatImage gaussianBlur(FloatImage img, double sigma) {
        if (sigma < 0.05) {
            return img;
        }
        int radius = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        int h = img.height(), w = img.width();
        float[] tmp = new float[h * w], out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = -radius; i <= radius; i++) {
                    s += k[i + radius] * img.pixels()[y * w + Math.min(w - 1, Math.max(0, x + i))];
                }
                tmp[y * w + x] = (float) s;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = -radius; i <= radius; i++) {
                    s += k[i + radius] * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x];
                }
                out[y * w + x] = (float) s;
            }
        }
        return new FloatImage(h, w, out);
    }
}
