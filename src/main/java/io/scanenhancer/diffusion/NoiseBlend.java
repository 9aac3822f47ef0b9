package io.scanenhancer.diffusion;

import java.util.Random;

/**
 * An initial noise image x_T = cos(angle) N(seed) + sin(angle) N(otherSeed): two independent standard Gaussian
 * fields mixed on the unit circle, so the mix is again standard Gaussian (cos^2 + sin^2 = 1) while it turns smoothly
 * from one field to the other. Angle 0 is N(seed) exactly, bit for bit.
 */
public record NoiseBlend(long seed, long otherSeed, double angle) {

    /** One field, no mixing. */
    public static NoiseBlend of(long seed) {
        return new NoiseBlend(seed, seed, 0);
    }

    /**
     * Fills {@code perRow} values of x_T and returns the first field's stream positioned after them (what a
     * stochastic sampler continues with, as for an unmixed seed).
     */
    Random fill(float[] out, int offset, int perRow) {
        Random first = new Random(seed);
        if (angle == 0) {
            for (int i = 0; i < perRow; i++) {
                out[offset + i] = (float) first.nextGaussian();
            }
            return first;
        }
        Random second = new Random(otherSeed);
        double c = Math.cos(angle), s = Math.sin(angle);
        for (int i = 0; i < perRow; i++) {
            out[offset + i] = (float) (c * first.nextGaussian() + s * second.nextGaussian());
        }
        return first;
    }
}
