package io.scanenhancer.diffusion;

import java.util.Arrays;

/**
 * Maps an image's values affinely into the model's range: the low percentile goes to -1 and the high one to +1.
 * Computed from the low-resolution input alone, identically in training and at inference, so the model sees the
 * same range whatever the modality's units (MR arbitrary units, CT Hounsfield units). Affine, so nothing is
 * clipped and the inverse is exact.
 */
public record IntensityNormalisation(double offset, double range) {

    public static IntensityNormalisation fit(float[] lowRes, double lowPercentile, double highPercentile) {
        float[] sorted = lowRes.clone();
        Arrays.sort(sorted);
        double lo = sorted[(int) Math.floor(lowPercentile / 100 * (sorted.length - 1))];
        double hi = sorted[(int) Math.ceil(highPercentile / 100 * (sorted.length - 1))];
        if (!(hi - lo > 1e-6 * Math.max(1, Math.abs(hi)))) {
            hi = lo + 1; // flat image: any positive range keeps the map invertible
        }
        return new IntensityNormalisation(lo, hi - lo);
    }

    public float[] forward(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) ((values[i] - offset) / range * 2 - 1);
        }
        return out;
    }

    public float[] inverse(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) ((values[i] + 1) / 2 * range + offset);
        }
        return out;
    }

    /** Converts a spread (a standard deviation) back to the input's units. */
    public float[] inverseSpread(float[] spread) {
        float[] out = new float[spread.length];
        for (int i = 0; i < spread.length; i++) {
            out[i] = (float) (spread[i] / 2 * range);
        }
        return out;
    }
}
