package io.scanenhancer.enhance;

import io.scanenhancer.image.FloatImage;
import io.scanenhancer.image.GaussianFilter;
import io.scanenhancer.image.GradientMagnitude;
import io.scanenhancer.image.NoiseEstimate;
import io.scanenhancer.image.SpreadMethod;

/**
 * Predicts where an enhanced image is wrong from where the same model was wrong one scale down: the guard's self-test
 * already enhances the input degraded once more, where the input itself is the truth, so |self-test output - input|
 * is a measured error map at the input's grid. Enlarged to the output grid (bicubic, clamped at 0) and smoothed, it
 * stands for the error at the same place one scale up: structures the model cannot resolve at one scale (edges, thin
 * sulci, texture) are mostly the ones it cannot resolve at the next. It assumes the error's pattern is alike across
 * the two scales, as the guard does for its size; its width is set by the model's calibration factor like the
 * posterior's. Weighed by the output's own edges (a gradient blur), it ranks the error better on every validation set.
 */
public final class SelfTestSpread {
    private SelfTestSpread() {
    }

    /**
     * The spread {@code method} makes: the smoothed self-test error, with a gradient blur its geometric mean with the
     * smoothed gradient magnitude of {@code output} (what the model made of the input), plus the noise floor times the
     * input's noise sd.
     */
    public static FloatImage of(FloatImage input, FloatImage modelOnTest, FloatImage output, SpreadMethod method) {
        FloatImage map = of(input, modelOnTest, method.blurSigma());
        float[] out = map.pixels().clone();
        if (method.gradientBlur() > 0) {
            if (output.height() != map.height() || output.width() != map.width()) {
                throw new IllegalArgumentException("the output is " + output.height() + "x" + output.width() + ", the spread "
                        + map.height() + "x" + map.width());
            }
            float[] edges = GaussianFilter.blur(GradientMagnitude.of(output.pixels(), output.height(), output.width()),
                    output.height(), output.width(), method.gradientBlur());
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) Math.sqrt(out[i] * (double) Math.max(0f, edges[i]));
            }
        }
        float floor = (float) (method.noiseFloor() * NoiseEstimate.sd(input));
        for (int i = 0; floor != 0 && i < out.length; i++) {
            out[i] += floor;
        }
        return new FloatImage(map.height(), map.width(), out);
    }

    /**
     * @param input       the image to be enhanced (height x width)
     * @param modelOnTest what the model made of the input degraded once more (even height x even width of the input)
     * @param blurSigma   Gaussian smoothing of the enlarged error map, in output pixels (0: none)
     * @return the predicted |error| at the output grid, 2 height x 2 width
     */
    public static FloatImage of(FloatImage input, FloatImage modelOnTest, double blurSigma) {
        FloatImage truth = input.croppedToEven();
        if (modelOnTest.height() != truth.height() || modelOnTest.width() != truth.width()) {
            throw new IllegalArgumentException("the self-test output is " + modelOnTest.height() + "x" + modelOnTest.width()
                    + ", the input's even part " + truth.height() + "x" + truth.width());
        }
        float[] err = new float[truth.pixels().length];
        for (int i = 0; i < err.length; i++) {
            err[i] = Math.abs(modelOnTest.pixels()[i] - truth.pixels()[i]);
        }
        FloatImage up = Bicubic.upscale(new FloatImage(truth.height(), truth.width(), err), 2);
        int h = 2 * input.height(), w = 2 * input.width();
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            int sy = Math.min(y, up.height() - 1); // an odd input's last row and column repeat the even part's edge
            for (int x = 0; x < w; x++) {
                out[y * w + x] = Math.max(0f, up.pixels()[sy * up.width() + Math.min(x, up.width() - 1)]);
            }
        }
        return new FloatImage(h, w, blurSigma > 0 ? GaussianFilter.blur(out, h, w, blurSigma) : out);
    }
}
