package io.scanenhancer.training;

import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.image.FloatImage;

import java.util.Random;

/**
 * Renders an MR-like image of any contrast from a label map, as SynthSeg / SynthSR do (Billot et al. 2023,
 * Iglesias et al. 2023), so that a model trained on the renderings cannot lean on T1 contrast:
 * <ol>
 * <li>each label gets a random mean in [0, 1] (background in [0, 0.1]: scanners' air is dark) and a random
 *     within-tissue standard deviation up to 0.06, as smoothed Gaussian texture (correlation about 1 pixel);</li>
 * <li>with probability 1/2, ch2's own T1 structure inside each label (partial volume, nuclei, vessels) is added with
 *     a random gain of either sign, so that edges inside a label do not all vanish;</li>
 * <li>a smooth multiplicative bias field: exp of a random polynomial of degree 3 in the normalised coordinates,
 *     up to about +-35%;</li>
 * <li>a Gaussian blur of random width (0 to 1.2 pixels): partial volume at label edges, varied resolution;</li>
 * <li>complex Gaussian noise (0 to 4% of full scale per channel) and the magnitude, so the noise is Rician;</li>
 * <li>rescaled to [0, 1] by its minimum and maximum.</li>
 * </ol>
 * Every random number comes from the given Random in a fixed order: the same seed gives the same image.
 */
public final class ContrastRandomisation {
    static final int LABELS = TissueLabel.values().length;

    private ContrastRandomisation() {
    }

    public static FloatImage render(LabelSlice slice, Random random) {
        int h = slice.height(), w = slice.width(), n = h * w;
        double[] mean = new double[LABELS], sd = new double[LABELS], texture = new double[LABELS];
        for (int l = 0; l < LABELS; l++) {
            mean[l] = l == TissueLabel.BACKGROUND.value() ? 0.1 * random.nextDouble() : random.nextDouble();
            sd[l] = 0.06 * random.nextDouble();
        }
        boolean borrowT1 = slice.t1() != null && random.nextBoolean();
        for (int l = 0; l < LABELS; l++) {
            texture[l] = borrowT1 ? (random.nextDouble() * 2 - 1) * 1.5 : 0;
        }
        double[] t1Mean = borrowT1 ? labelMeans(slice) : null;

        float[] noise = new float[n];
        for (int p = 0; p < n; p++) {
            noise[p] = (float) random.nextGaussian();
        }
        float[] smooth = Augmentation.gaussianBlur(new FloatImage(h, w, noise), 1.0).pixels();
        // a blur of unit white noise at sigma 1 has standard deviation 1 / (2 sqrt(pi)): restore unit variance
        double unit = 2 * Math.sqrt(Math.PI);

        float[] px = new float[n];
        for (int p = 0; p < n; p++) {
            int l = slice.labels()[p];
            double v = mean[l] + sd[l] * unit * smooth[p];
            if (borrowT1) {
                v += texture[l] * (slice.t1()[p] - t1Mean[l]) / 255.0;
            }
            px[p] = (float) v;
        }
        applyBias(px, h, w, random);
        FloatImage blurred = Augmentation.gaussianBlur(new FloatImage(h, w, px), 1.2 * random.nextDouble());
        double sigma = 0.04 * random.nextDouble();
        float[] out = blurred.pixels();
        for (int p = 0; p < n; p++) {
            double re = out[p] + sigma * random.nextGaussian(), im = sigma * random.nextGaussian();
            out[p] = (float) Math.hypot(re, im);
        }
        return rescaled(new FloatImage(h, w, out));
    }

    /** Multiplies by exp(polynomial of degree 3 in u, v in [-1, 1]) with random coefficients. */
    private static void applyBias(float[] px, int h, int w, Random random) {
        double strength = 0.3 * random.nextDouble();
        double[] c = new double[9]; // u, v, uv, u2, v2, u2v, uv2, u3, v3
        for (int i = 0; i < c.length; i++) {
            c[i] = strength * (random.nextDouble() * 2 - 1) / 3;
        }
        for (int y = 0; y < h; y++) {
            double v = 2.0 * y / Math.max(1, h - 1) - 1;
            for (int x = 0; x < w; x++) {
                double u = 2.0 * x / Math.max(1, w - 1) - 1;
                double e = c[0] * u + c[1] * v + c[2] * u * v + c[3] * u * u + c[4] * v * v + c[5] * u * u * v
                        + c[6] * u * v * v + c[7] * u * u * u + c[8] * v * v * v;
                px[y * w + x] *= (float) Math.exp(e);
            }
        }
    }

    /** Mean T1 value of each label on the slice (0 for absent labels). */
    static double[] labelMeans(LabelSlice slice) {
        double[] sum = new double[LABELS];
        long[] count = new long[LABELS];
        for (int p = 0; p < slice.labels().length; p++) {
            sum[slice.labels()[p]] += slice.t1()[p];
            count[slice.labels()[p]]++;
        }
        for (int l = 0; l < LABELS; l++) {
            sum[l] = count[l] == 0 ? 0 : sum[l] / count[l];
        }
        return sum;
    }

    static FloatImage rescaled(FloatImage img) {
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : img.pixels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float range = max > min ? max - min : 1;
        float[] out = new float[img.pixels().length];
        for (int p = 0; p < out.length; p++) {
            out[p] = (img.pixels()[p] - min) / range;
        }
        return new FloatImage(img.height(), img.width(), out);
    }
}
