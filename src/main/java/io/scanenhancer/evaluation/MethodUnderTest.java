package io.scanenhancer.evaluation;

import io.scanenhancer.image.FloatImage;

import java.util.function.Function;

/** A named way of making the high-resolution image from the input, as evaluated. */
public record MethodUnderTest(String name, Function<FloatImage, Output> run) {

    /**
     * @param spread   per-pixel posterior standard deviation, or null
     * @param fellBack the guard replaced the model's output with bicubic for this image
     */
    public record Output(FloatImage image, FloatImage spread, boolean fellBack) {
        public static Output of(FloatImage image) {
            return new Output(image, null, false);
        }
    }
}
