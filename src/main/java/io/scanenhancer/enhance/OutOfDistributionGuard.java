package io.scanenhancer.enhance;

import io.scanenhancer.diffusion.Degradation;

import io.scanenhancer.image.FloatImage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Decides per image whether the model can be trusted on it, with a test whose truth is known: the input itself.
 * The input is degraded once more in the way it was made ({@link Degradation}: box averaging or k-space truncation),
 * enhanced back to its own size by the model and by that degradation's classical interpolation (bicubic or
 * zero-filling), and both are compared with the input. The score is the model's gain over the interpolation on that
 * self-test in dB; an input on which the model loses by more than the allowed margin is out of distribution.
 */
public final class OutOfDistributionGuard {
    /** Below this size the self-test has too little to go on; such inputs count as out of distribution. */
    static final int MIN_SELF_TEST_SIZE = 8;

    private final double maxLossDb;

    public OutOfDistributionGuard(double maxLossDb) {
        this.maxLossDb = maxLossDb;
    }

    public double maxLossDb() {
        return maxLossDb;
    }

    /** The low-resolution copies the model must enhance for {@link #scores}. */
    public static List<FloatImage> selfTestInputs(List<FloatImage> inputs) {
        return selfTestInputs(inputs, Degradation.AREA);
    }

    /** The low-resolution copies for inputs made by {@code d}. */
    public static List<FloatImage> selfTestInputs(List<FloatImage> inputs, Degradation d) {
        List<FloatImage> out = new ArrayList<>(inputs.size());
        for (FloatImage in : inputs) {
            FloatImage even = in.croppedToEven();
            out.add(even.height() / 2 < MIN_SELF_TEST_SIZE || even.width() / 2 < MIN_SELF_TEST_SIZE
                    ? null : degrade(even, d));
        }
        return out;
    }

    /**
     * @param inputs       the images to be enhanced
     * @param modelOnTests what the model made of {@link #selfTestInputs} (null where the self-test input was null)
     * @return the gain in dB per image (negative: worse than bicubic); -infinity where no self-test was possible
     */
    public static double[] scores(List<FloatImage> inputs, List<FloatImage> modelOnTests) {
        return scores(inputs, modelOnTests, Degradation.AREA);
    }

    /** {@link #scores(List, List)} against the classical interpolation of {@code d}. */
    public static double[] scores(List<FloatImage> inputs, List<FloatImage> modelOnTests, Degradation d) {
        return scores(inputs, selfTestInputs(inputs, d), modelOnTests, d);
    }

    /**
     * @param testInputs the {@link #selfTestInputs} the model was given, so that they are not made again (for k-space
     *                   inputs two FFTs an image)
     */
    public static double[] scores(List<FloatImage> inputs, List<FloatImage> testInputs, List<FloatImage> modelOnTests, Degradation d) {
        double[] s = new double[inputs.size()];
        for (int i = 0; i < s.length; i++) {
            FloatImage model = modelOnTests.get(i);
            if (model == null) {
                s[i] = Double.NEGATIVE_INFINITY;
                continue;
            }
            FloatImage truth = inputs.get(i).croppedToEven();
            FloatImage classical = ClassicalInterpolation.upscale(d, testInputs.get(i), 2);
            double mseModel = mse(model, truth), mseClassical = mse(classical, truth);
            s[i] = mseModel == 0 ? (mseClassical == 0 ? 0 : Double.POSITIVE_INFINITY) : 10 * Math.log10(mseClassical / mseModel);
        }
        return s;
    }

    private static FloatImage degrade(FloatImage even, Degradation d) {
        return d == Degradation.AREA ? BoxDegradation.downscale(even, 2) : KspaceDegradation.degrade(even, 2);
    }

    public boolean isOutOfDistribution(double score) {
        return !(score >= -maxLossDb);
    }

    static double mse(FloatImage a, FloatImage b) {
        double s = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            double d = a.pixels()[i] - b.pixels()[i];
            s += d * d;
        }
        return s / a.pixels().length;
    }

    /** Convenience for callers that enhance one image at a time. */
    public static double score(FloatImage input, Function<FloatImage, FloatImage> model) {
        FloatImage test = selfTestInputs(List.of(input)).get(0);
        List<FloatImage> made = new ArrayList<>();
        made.add(test == null ? null : model.apply(test));
        return scores(List.of(input), made)[0];
    }
}
