package io.scanenhancer.diffusion;

/**
 * The k-space side of {@link Degradation#KSPACE}, on one image of float pixels, row-major: an FFT this pure-DJL package
 * does not carry (io.scanenhancer.enhance.KspaceDegradation implements it). Given to {@link SuperResolutionPipeline}.
 */
public interface KspaceOperator {
    /**
     * Zero-filled (sinc) interpolation, height x width to 2 height x 2 width, in the image's own units.
     *
     * @param magnitude the baseline training pairs were made with (so it is made before intensity normalisation)
     * @param real      the same image with its sign (the kept window of a real image is Hermitian, so the zero-filled
     *                  image is real and magnitude is |real|): the one image whose k-space is the input's window and
     *                  nothing else, which the data-consistency projection ({@link KspaceProjection}) puts back. Linear
     *                  in the input and keeping constants, so it may be normalised like the input.
     */
    record ZeroFilled(float[] magnitude, float[] real) {
    }

    ZeroFilled zeroFill(float[] lowRes, int height, int width);

    /** The standard deviation of the white noise in an image (robust to its edges), in the image's units. */
    double noiseSd(float[] image, int height, int width);
}
