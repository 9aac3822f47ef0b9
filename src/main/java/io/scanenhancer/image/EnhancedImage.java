package io.scanenhancer.image;

/**
 * An enhancer's output for one image.
 *
 * @param image              the enhanced image, scale times larger, same units as the input
 * @param uncertainty        per-pixel spread (same units; see SpreadMethod), or null when only one sample was drawn
 * @param method             what actually produced {@code image}, e.g. "diffusion ddim 4 steps" or "bicubic"
 * @param outOfDistribution  the input looked unlike the training data (see {@code oodScore})
 * @param oodScore           the guard's score; larger is further from the training data
 * @param fellBack           the classical interpolation for the input's degradation (bicubic, zero-fill) stands in for
 *                           the model's output: the guard replaced it ({@code outOfDistribution} true), or the model was
 *                           not trained for the degradation and did not run ({@code outOfDistribution} false)
 */
public record EnhancedImage(FloatImage image, FloatImage uncertainty, String method,
                            boolean outOfDistribution, double oodScore, boolean fellBack) {
}
