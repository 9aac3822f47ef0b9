package io.scanenhancer.evaluation;

import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.enhance.BoxDegradation;
import io.scanenhancer.enhance.ClassicalInterpolation;
import io.scanenhancer.enhance.KspaceDegradation;
import io.scanenhancer.image.FloatImage;

import java.util.Random;

/**
 * How the issue-20 protocol makes a low-resolution input from a truth, and the classical interpolation each kind is
 * judged against: box averaging against bicubic (the image was downsampled after reconstruction), and k-space
 * truncation against zero-filling (a low-matrix acquisition; zero-filling is the sinc interpolation the scanner
 * offers), without and with complex noise.
 */
public enum ProtocolInput {
    AREA(Degradation.AREA, "area (2x2 box)"),
    KSPACE_CLEAN(Degradation.KSPACE, "kspace, clean"),
    KSPACE_NOISY(Degradation.KSPACE, "kspace, complex noise");

    /** Signal-to-noise ratio of the noisy k-space inputs: see {@link #noiseSigma}. */
    public static final double SNR = 30;
    /** The percentile of the head's intensities that stands for "bright tissue" in the noise level. */
    public static final double NOISE_REFERENCE_PERCENTILE = 0.9;

    private final Degradation degradation;
    private final String label;

    ProtocolInput(Degradation degradation, String label) {
        this.degradation = degradation;
        this.label = label;
    }

    /** "area" or "kspace": what a degradation-aware model would be told. */
    public String degradation() {
        return degradation.id();
    }

    public String label() {
        return label;
    }

    public String baselineName() {
        return degradation.interpolation();
    }

    /**
     * The low-resolution input (2x per axis). Noise is complex Gaussian of {@code noiseSigma} per channel, drawn from
     * {@code seed}, before the magnitude (Rician), with no k-space filter, so that the clean and noisy rows differ by
     * the noise alone.
     */
    public FloatImage degrade(FloatImage truth, double noiseSigma, long seed) {
        return switch (this) {
            case AREA -> BoxDegradation.downscale(truth, 2);
            case KSPACE_CLEAN -> KspaceDegradation.degrade(truth, 2);
            case KSPACE_NOISY -> KspaceDegradation.degrade(truth, 2, KspaceDegradation.Filter.NONE, noiseSigma, new Random(seed));
        };
    }

    /** The classical interpolation this kind of input is judged against. */
    public FloatImage baseline(FloatImage lowResolution) {
        return ClassicalInterpolation.upscale(degradation, lowResolution, 2);
    }

    /**
     * Noise per channel: the 90th percentile of the truth inside the head divided by {@link #SNR}. On ch2's T1 the
     * 90th percentile lies near white matter, the level {@link KspaceBaseline} uses; a percentile applies to any
     * contrast and any scanner's units.
     */
    public static double noiseSigma(FloatImage truth, boolean[] head) {
        int n = 0;
        for (boolean b : head) {
            n += b ? 1 : 0;
        }
        if (n == 0) {
            throw new IllegalArgumentException("empty head mask");
        }
        float[] inside = new float[n];
        for (int i = 0, j = 0; i < head.length; i++) {
            if (head[i]) {
                inside[j++] = truth.pixels()[i];
            }
        }
        java.util.Arrays.sort(inside);
        return inside[(int) (NOISE_REFERENCE_PERCENTILE * (n - 1))] / SNR;
    }
}
