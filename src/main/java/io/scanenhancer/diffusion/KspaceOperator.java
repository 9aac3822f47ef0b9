package io.scanenhancer.diffusion;

/**
 * The k-space side of {@link Degradation#KSPACE}, on one image of float pixels, row-major: an FFT this pure-DJL package
 * does not carry (io.scanenhancer.enhance.KspaceDegradation implements it). Given to {@link SuperResolutionPipeline}.
 */
public interface KspaceOperator {
    /**
     * Zero-filled (sinc) interpolation, height x width to 2 height x 2 width, magnitude, in the image's own units: the
     * baseline training pairs were made with, so it is applied before intensity normalisation.
     */
    float[] zeroFill(float[] lowRes, int height, int width);

    /**
     * Projection of a 2 height x 2 width image onto the real images whose acquired k-space window equals
     * {@code lowRes}'s. Linear in both images and keeping constants, so it commutes with the per-image affine
     * normalisation and may be applied in normalised units.
     */
    float[] project(float[] highRes, float[] lowRes, int height, int width);
}
