package io.scanenhancer.image;

import java.util.Locale;

/**
 * How the pixels of an uncertainty image were made, as its derived object states them. {@link #POSTERIOR}: the standard
 * deviation of the posterior samples; {@link #selfTest}: the model's absolute error on the input degraded once more,
 * where the input is the truth, enlarged to the output grid and smoothed by a Gaussian of {@code blurSigma} output
 * pixels (it ranked the error about twice as well as the posterior spread, issue 20); with {@code gradientBlur} above 0,
 * the geometric mean of that map and the output's own gradient magnitude ({@link GradientMagnitude}) smoothed by a
 * Gaussian of that sigma: an error one scale down counts for more where the output has an edge to get wrong. Then
 * {@code noiseFloor} times the input's noise standard deviation ({@link NoiseEstimate}) is added: the part of the error no
 * model removes, which the self-test, measured on a smoother copy of the input, does not see. Either may be multiplied
 * by a calibration factor, which the derived object states beside it.
 */
public record SpreadMethod(String name, double blurSigma, double noiseFloor, double gradientBlur) {
    public static final String POSTERIOR_NAME = "posterior";
    public static final String SELF_TEST_NAME = "self-test";
    public static final SpreadMethod POSTERIOR = new SpreadMethod(POSTERIOR_NAME, 0);

    public SpreadMethod(String name, double blurSigma) {
        this(name, blurSigma, 0, 0);
    }

    public SpreadMethod {
        if (!name.equals(POSTERIOR_NAME) && !name.equals(SELF_TEST_NAME)) {
            throw new IllegalArgumentException("spread method is " + POSTERIOR_NAME + " or " + SELF_TEST_NAME + ", not " + name);
        }
        if (!(blurSigma >= 0)) {
            throw new IllegalArgumentException("blur sigma must be at least 0, was " + blurSigma);
        }
        if (!(noiseFloor >= 0) || (noiseFloor > 0 && !name.equals(SELF_TEST_NAME))) {
            throw new IllegalArgumentException("a noise floor is at least 0, and only a self-test spread has one; was " + noiseFloor);
        }
        if (!(gradientBlur >= 0) || (gradientBlur > 0 && !name.equals(SELF_TEST_NAME))) {
            throw new IllegalArgumentException("a gradient blur is at least 0, and only a self-test spread has one; was " + gradientBlur);
        }
    }

    public static SpreadMethod selfTest(double blurSigma) {
        return new SpreadMethod(SELF_TEST_NAME, blurSigma, 0, 0);
    }

    public static SpreadMethod selfTest(double blurSigma, double noiseFloor) {
        return new SpreadMethod(SELF_TEST_NAME, blurSigma, noiseFloor, 0);
    }

    /** The same spread with the output's gradient weighing the self-test map (0: not). */
    public SpreadMethod withGradientBlur(double sigma) {
        return new SpreadMethod(name, blurSigma, noiseFloor, sigma);
    }

    public boolean isSelfTest() {
        return name.equals(SELF_TEST_NAME);
    }

    /** The derived parameters' token: it enters the uncertainty series' UIDs, so other pixels get other UIDs. */
    public String outputParameter() {
        return isSelfTest() ? String.format(Locale.ROOT, "output=self-test-error blur=%.2f", blurSigma)
                + (gradientBlur > 0 ? String.format(Locale.ROOT, " gradient=%.2f", gradientBlur) : "")
                + (noiseFloor > 0 ? String.format(Locale.ROOT, " noise-floor=%.3f", noiseFloor) : "") : "output=posterior-sd";
    }

    /** What each pixel is, for the Derivation Description and Image Comments. */
    public String describe(int samples, String method) {
        return isSelfTest()
                ? String.format(Locale.ROOT, "predicted absolute error: the model's error on the input degraded once more, enlarged 2x "
                + "and smoothed (Gaussian sigma %.1f px)%s%s, beside the mean of %d samples of %s", blurSigma,
                gradientBlur > 0 ? String.format(Locale.ROOT, ", geometric mean with the output's gradient magnitude (Gaussian sigma %.1f px)", gradientBlur) : "",
                noiseFloor > 0 ? String.format(Locale.ROOT, ", plus %.2f x the input's noise sd", noiseFloor) : "", samples, method)
                : "posterior standard deviation over " + samples + " samples of " + method;
    }
}
