package io.scanenhancer.evaluation;

import io.scanenhancer.image.FloatImage;
import io.scanenhancer.image.GaussianFilter;
import io.scanenhancer.image.NoiseEstimate;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the posterior standard deviation predicts the error of the posterior mean (issue 20, point 4), inside the
 * head: per image the Spearman correlation of sd and |mean - truth|, the coverage of mean +- 2 sd, and the factor c
 * that would make +- 2 c sd cover 95 %; per set the same pooled over its pixels. The factor that would be applied is
 * the validation set's (pooled per kind of input); its coverage on every set is reported. Nothing is applied.
 */
public final class UncertaintyCalibration {
    public static final double K = 2;
    public static final double TARGET = 0.95;

    /**
     * @param ceiling Spearman of the error's own local size (root mean square of mean - truth under a Gaussian of
     *                sigma {@value #CEILING_BLUR} output pixels) with |mean - truth|: what a spread that knew where the
     *                error is large, but not each pixel's draw, would reach
     * @param neighboursCeiling the same with each pixel's own error left out of its local size (the neighbours'
     *                root mean square error): the ceiling without the pixel's own draw, which the plain one leaks
     * @param inImageFit {@link InImageFit}: a spread fitted on this image's own pixels from the same maps, scored on
     *                the pixels it was not fitted on
     */
    public record ImageResult(String set, String image, ProtocolInput input, double spearman, double coverage,
                              double scale, double ceiling, double neighboursCeiling, double inImageFit) {
    }

    /** The smoothing of {@link ImageResult#ceiling}: the self-test spread's shipped blur. */
    public static final double CEILING_BLUR = 2.0;

    /**
     * @param validationScale    the validation sets' pooled factor for this input (NaN without a validation set)
     * @param coverageAtValidation coverage of +- 2 validationScale sd on this set
     * @param fit                the {@link NoiseFloorFit} on the validation sets (null with fewer than two)
     * @param coverageAtFit      coverage of +- 2 c (sd + f noise sd) with the fit's c and f on this set (NaN without a fit)
     */
    public record SetResult(String set, ProtocolInput input, int images, double meanSpearman, double worstSpearman,
                            double meanCeiling, double meanNeighboursCeiling, double meanInImageFit, double coverage, double scale, double validationScale, double coverageAtValidation,
                            NoiseFloorFit.Fit fit, double coverageAtFit) {
    }

    public record Result(List<ImageResult> images, List<SetResult> sets) {
    }

    private UncertaintyCalibration() {
    }

    /**
     * @param upscaler must return a spread (several posterior samples)
     * @param limit    at most this many images per set, spread evenly over it (0: all)
     */
    public static Result run(List<ProtocolSets.ImageSet> sets, List<ProtocolInput> inputs, DegradationProtocol.Upscaler upscaler,
                             long seed, int limit, PrintStream log) {
        List<ImageResult> images = new ArrayList<>();
        Map<String, double[][]> pooled = new LinkedHashMap<>(); // set|input -> {absError, sd, input noise sd}
        for (ProtocolSets.ImageSet set : sets) {
            for (ProtocolSets.Case c : subset(set.cases(), limit)) {
                for (ProtocolInput input : inputs) {
                    FloatImage lr = DegradationProtocol.inputFor(input, set, c, seed);
                    MethodUnderTest.Output out = upscaler.upscale(lr, input.degradation());
                    if (out.spread() == null) {
                        throw new IllegalStateException("the uncertainty method returned no spread for " + c.name());
                    }
                    double[][] es = insideHead(out.image(), out.spread(), c);
                    double[][] local = insideHead(out.image(), localErrorSize(out.image(), c.truth()), c);
                    double[][] neighbours = insideHead(out.image(), neighboursErrorSize(out.image(), c.truth()), c);
                    images.add(new ImageResult(set.name(), c.name(), input, CalibrationStatistics.spearman(es[1], es[0]),
                            CalibrationStatistics.coverage(es[0], es[1], K),
                            CalibrationStatistics.scaleForCoverage(es[0], es[1], K, TARGET),
                            CalibrationStatistics.spearman(local[1], local[0]),
                            CalibrationStatistics.spearman(neighbours[1], neighbours[0]),
                            InImageFit.spearman(out.image(), input.baseline(lr), out.spread(), c.truth(), c.head())));
                    double[] noise = new double[es[0].length];
                    java.util.Arrays.fill(noise, NoiseEstimate.sd(lr));
                    pooled.merge(set.name() + "|" + input, new double[][] {es[0], es[1], noise}, UncertaintyCalibration::concat);
                }
                if (log != null) {
                    log.printf("  [uncertainty] %s / %s%n", set.name(), c.name());
                }
            }
        }
        Map<ProtocolInput, Double> validationScale = new LinkedHashMap<>();
        Map<ProtocolInput, NoiseFloorFit.Fit> fits = new LinkedHashMap<>();
        for (ProtocolInput input : inputs) {
            List<double[][]> validation = new ArrayList<>();
            for (ProtocolSets.ImageSet set : sets) {
                double[][] es = pooled.get(set.name() + "|" + input);
                if (set.validation() && es != null) {
                    validation.add(es);
                }
            }
            if (!validation.isEmpty()) {
                double[][] all = validation.stream().reduce(UncertaintyCalibration::concat).orElseThrow();
                validationScale.put(input, CalibrationStatistics.scaleForCoverage(all[0], all[1], K, TARGET));
            }
            if (validation.size() >= 2) {
                fits.put(input, NoiseFloorFit.fit(validation, K, TARGET));
            }
        }
        List<SetResult> setResults = new ArrayList<>();
        for (ProtocolSets.ImageSet set : sets) {
            for (ProtocolInput input : inputs) {
                double[][] es = pooled.get(set.name() + "|" + input);
                if (es == null) {
                    continue;
                }
                List<ImageResult> mine = images.stream().filter(r -> r.set().equals(set.name()) && r.input() == input).toList();
                double mean = mine.stream().mapToDouble(ImageResult::spearman).average().orElse(Double.NaN);
                double worst = mine.stream().mapToDouble(ImageResult::spearman).min().orElse(Double.NaN);
                double v = validationScale.getOrDefault(input, Double.NaN);
                NoiseFloorFit.Fit fit = fits.get(input);
                setResults.add(new SetResult(set.name(), input, mine.size(), mean, worst,
                        mine.stream().mapToDouble(ImageResult::ceiling).average().orElse(Double.NaN),
                        mine.stream().mapToDouble(ImageResult::neighboursCeiling).average().orElse(Double.NaN),
                        mine.stream().mapToDouble(ImageResult::inImageFit).average().orElse(Double.NaN),
                        CalibrationStatistics.coverage(es[0], es[1], K), CalibrationStatistics.scaleForCoverage(es[0], es[1], K, TARGET),
                        v, Double.isNaN(v) ? Double.NaN : CalibrationStatistics.coverage(es[0], es[1], K * v), fit,
                        fit == null ? Double.NaN : CalibrationStatistics.coverage(es[0], NoiseFloorFit.withFloor(es[1], es[2], fit.floor()), K * fit.scale())));
            }
        }
        return new Result(images, setResults);
    }

    /**
     * sqrt of the Gaussian-smoothed squared error: where the error is large. The pixel's own error keeps its Gaussian
     * weight in it ({@link #neighboursErrorSize} leaves it out).
     */
    static FloatImage localErrorSize(FloatImage mean, FloatImage truth) {
        float[] sq = squaredError(mean, truth);
        float[] blurred = GaussianFilter.blur(sq, mean.height(), mean.width(), CEILING_BLUR);
        for (int i = 0; i < blurred.length; i++) {
            blurred[i] = (float) Math.sqrt(Math.max(0f, blurred[i]));
        }
        return new FloatImage(mean.height(), mean.width(), blurred);
    }

    /**
     * {@link #localErrorSize} with each pixel's own squared error taken out of its Gaussian average (and the weights
     * renormalised): the pixel's rank can then only come from its neighbours' errors, as any spread's must. Where the
     * error is spatially white noise this ceiling drops to about 0, however large the plain one is.
     */
    static FloatImage neighboursErrorSize(FloatImage mean, FloatImage truth) {
        int h = mean.height(), w = mean.width();
        float[] sq = squaredError(mean, truth);
        float[] blurred = GaussianFilter.blur(sq, h, w, CEILING_BLUR);
        double[] wy = GaussianFilter.selfWeights(h, CEILING_BLUR), wx = GaussianFilter.selfWeights(w, CEILING_BLUR);
        float[] out = new float[sq.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double self = wy[y] * wx[x];
                out[i] = (float) Math.sqrt(Math.max(0, (blurred[i] - self * sq[i]) / (1 - self)));
            }
        }
        return new FloatImage(h, w, out);
    }

    private static float[] squaredError(FloatImage mean, FloatImage truth) {
        float[] sq = new float[mean.pixels().length];
        for (int i = 0; i < sq.length; i++) {
            float d = mean.pixels()[i] - truth.pixels()[i];
            sq[i] = d * d;
        }
        return sq;
    }

    /** {absolute error, sd} of the pixels inside the head. */
    static double[][] insideHead(FloatImage mean, FloatImage sd, ProtocolSets.Case c) {
        int n = 0;
        for (boolean b : c.head()) {
            n += b ? 1 : 0;
        }
        double[] err = new double[n], s = new double[n];
        for (int i = 0, j = 0; i < c.head().length; i++) {
            if (c.head()[i]) {
                err[j] = Math.abs(mean.pixels()[i] - c.truth().pixels()[i]);
                s[j++] = sd.pixels()[i];
            }
        }
        return new double[][] {err, s};
    }

    /** Every {@code limit}-th share of the list, evenly spread (all when limit is 0 or not below the size). */
    static <T> List<T> subset(List<T> all, int limit) {
        if (limit <= 0 || limit >= all.size()) {
            return all;
        }
        List<T> out = new ArrayList<>(limit);
        for (int i = 0; i < limit; i++) {
            out.add(all.get((int) ((i + 0.5) * all.size() / limit)));
        }
        return out;
    }

    private static double[][] concat(double[][] a, double[][] b) {
        double[][] out = new double[a.length][];
        for (int k = 0; k < a.length; k++) {
            out[k] = java.util.Arrays.copyOf(a[k], a[k].length + b[k].length);
            System.arraycopy(b[k], 0, out[k], a[k].length, b[k].length);
        }
        return out;
    }
}
