package io.scanenhancer.evaluation;

import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.PriorAdaptation;
import io.scanenhancer.diffusion.SamplerSettings;
import io.scanenhancer.diffusion.SuperResolutionPipeline;
import io.scanenhancer.enhance.DiffusionEnhancer;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.enhance.OutOfDistributionGuard;
import io.scanenhancer.enhance.SelfTestSpread;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.image.SpreadMethod;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The issue-20 protocol on a shipped model ({@code ./enhancer evaluate --protocol issue20}): its default path with
 * the guard (what the service stores) and without it (what the network makes), on every set for every kind of
 * input, each against its own classical baseline; with {@code uncertainty} N > 1, the calibration of the posterior
 * spread of N samples of the default sampler (unguarded, so every image has one). Writes protocol.md into {@code out}.
 *
 * <p>The model is told the degradation through {@link DegradationProtocol.Upscaler}; a model that cannot take it
 * (v2) ignores it, which is exactly what the service does with it today.
 */
public final class ProtocolEvaluation {

    /**
     * @param uncertainty      posterior samples for the calibration (0: none)
     * @param uncertaintyLimit images per set in the calibration (0: all)
     * @param uncertaintySampling the sampler whose spread is calibrated (its samples count is {@code uncertainty}), or null
     *                         for the model's default sampler
     * @param adaptation       with it, a third method: the guarded default after adapting the prior to each image alone
     *                         (a series of one slice, the least an adaptation can have); null: none
     * @param command          the command line, quoted in the report
     */
    public record Settings(int slabStride, int oodLimit, List<ProtocolInput> inputs, List<ProtocolSets.Contrast> contrasts,
                           int uncertainty, int uncertaintyLimit, ModelConfig.Sampling uncertaintySampling,
                           PriorAdaptation.Settings adaptation, long seed, String command, SpreadMethod uncertaintySpread,
                           boolean marginContrasts) {
    }

    public static final String GUARDED = "default with guard";
    public static final String UNGUARDED = "default, no guard";

    private ProtocolEvaluation() {
    }

    public static String run(Path modelDir, Path out, Settings settings, PrintStream log) throws IOException {
        List<ProtocolSets.ImageSet> sets = ProtocolSets.load(settings.slabStride(), settings.oodLimit(), settings.contrasts(),
                settings.marginContrasts());
        try (DiffusionEnhancer guarded = new DiffusionEnhancer(modelDir, true)) {
            // the network alone meets an input as the degradation it was trained for, else as a box average (v2's case)
            java.util.function.Function<Degradation, Degradation> told = dg -> guarded.runsModelFor(dg) ? dg : Degradation.AREA;
            List<DegradationProtocol.Method> methods = new java.util.ArrayList<>(List.of(
                    new DegradationProtocol.Method(GUARDED, (lr, degradation) -> {
                        EnhancedImage r = guarded.enhance(lr, EnhanceSettings.defaults().withDegradation(Degradation.of(degradation)));
                        return new MethodUnderTest.Output(r.image(), r.uncertainty(), r.fellBack());
                    }),
                    new DegradationProtocol.Method(UNGUARDED, (lr, degradation) -> {
                        Degradation dg = told.apply(Degradation.of(degradation));
                        ModelConfig.Sampling d = guarded.config(dg).sampling();
                        return upscale(guarded.pipeline(dg), lr, new SamplerSettings(d.sampler(), d.steps(), d.samples(), d.seed(), d.strength()), dg);
                    })));
            double[] adaptSeconds = {0, 0};
            if (settings.adaptation() != null) {
                methods.add(new DegradationProtocol.Method(adaptedName(settings.adaptation()), (lr, degradation) -> {
                    Degradation dg = Degradation.of(degradation);
                    long t0 = System.nanoTime();
                    try (DiffusionEnhancer adapted = guarded.runsModelFor(dg) ? guarded.adaptedTo(List.of(lr), dg, settings.adaptation()) : null) {
                        adaptSeconds[0] += (System.nanoTime() - t0) / 1e9;
                        adaptSeconds[1]++;
                        EnhancedImage r = (adapted == null ? guarded : adapted).enhance(lr, EnhanceSettings.defaults().withDegradation(dg));
                        return new MethodUnderTest.Output(r.image(), r.uncertainty(), r.fellBack());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            long start = System.nanoTime();
            List<DegradationProtocol.Row> rows = DegradationProtocol.run(sets, settings.inputs(), methods, settings.seed(), log);
            double protocolSeconds = (System.nanoTime() - start) / 1e9;
            UncertaintyCalibration.Result calibration = null;
            if (settings.uncertainty() > 1) {
                calibration = UncertaintyCalibration.run(sets, settings.inputs(), (lr, degradation) -> {
                    Degradation dg = told.apply(Degradation.of(degradation));
                    ModelConfig.Sampling u = uncertaintySampling(guarded.config(dg), settings);
                    SamplerSettings n = new SamplerSettings(u.sampler(), u.steps(), settings.uncertainty(), u.seed(), u.strength());
                    MethodUnderTest.Output made = upscale(guarded.pipeline(dg), lr, n, dg);
                    SpreadMethod spread = spreadMethod(guarded, dg, settings);
                    if (!spread.isSelfTest()) {
                        return made;
                    }
                    // the service's self-test spread: the guard's one-sample self-test (hard consistency, as the guard runs
                    // it), its error enlarged and smoothed
                    FloatImage test = OutOfDistributionGuard.selfTestInputs(List.of(lr), dg).get(0);
                    FloatImage onTest = upscale(guarded.pipeline(dg).withHardConsistency(), test,
                            new SamplerSettings(u.sampler(), u.steps(), 1, u.seed(), u.strength()), dg).image();
                    return new MethodUnderTest.Output(made.image(), SelfTestSpread.of(lr, onTest, made.image(), spread), false);
                }, settings.seed(), settings.uncertaintyLimit(), log);
            }
            double totalSeconds = (System.nanoTime() - start) / 1e9;
            String report = report(guarded, modelDir, sets, settings, rows, calibration, methods, protocolSeconds, totalSeconds);
            if (settings.adaptation() != null) {
                report += String.format(Locale.ROOT, "%n\"%s\": the prior fine-tuned on the input alone (its own degradation as "
                                + "the pair, `SeriesAdaptation`), then the guarded default; %.1f s of adaptation per image on average "
                                + "(%d images, %d CPU threads), on top of the default path's time.%n", adaptedName(settings.adaptation()),
                        adaptSeconds[1] == 0 ? 0 : adaptSeconds[0] / adaptSeconds[1], (int) adaptSeconds[1],
                        Runtime.getRuntime().availableProcessors());
            }
            Files.createDirectories(out);
            Files.writeString(out.resolve("protocol.md"), report);
            log.println();
            log.println(report);
            log.println("report: " + out.resolve("protocol.md").toAbsolutePath());
            return report;
        }
    }

    static String adaptedName(PriorAdaptation.Settings a) {
        return String.format(Locale.ROOT, "adapted %d steps, rate %.0e", a.steps(), a.learningRate());
    }

    /** The spread calibrated for inputs told {@code dg}: the command line's, else the model's. */
    private static SpreadMethod spreadMethod(DiffusionEnhancer model, Degradation dg, Settings settings) {
        return settings.uncertaintySpread() != null ? settings.uncertaintySpread() : model.spreadMethod(dg);
    }

    private static ModelConfig.Sampling uncertaintySampling(ModelConfig config, Settings settings) {
        return settings.uncertaintySampling() == null ? config.sampling() : settings.uncertaintySampling();
    }

    private static MethodUnderTest.Output upscale(SuperResolutionPipeline p, FloatImage lr, SamplerSettings s, Degradation d) {
        SuperResolutionPipeline.Result r = p.upscaleAll(java.util.List.of(lr.pixels()), lr.height(), lr.width(), s, Integer.MAX_VALUE, d).get(0);
        int h = 2 * lr.height(), w = 2 * lr.width();
        return new MethodUnderTest.Output(new FloatImage(h, w, r.mean()), r.spread() == null ? null : new FloatImage(h, w, r.spread()), false);
    }

    private static String report(DiffusionEnhancer model, Path modelDir, List<ProtocolSets.ImageSet> sets, Settings settings,
                                 List<DegradationProtocol.Row> rows, UncertaintyCalibration.Result calibration,
                                 List<DegradationProtocol.Method> methods, double protocolSeconds, double totalSeconds) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Model %s v%s (`%s`). ", model.modelId(), model.modelVersion(), modelDir));
        List<String> trained = new java.util.ArrayList<>();
        for (Degradation dg : Degradation.values()) {
            ModelConfig c = model.config(dg);
            if (c == null) {
                continue;
            }
            trained.add(dg.id());
            ModelConfig.Sampling d = c.sampling();
            md.append(String.format(Locale.ROOT, "%s inputs: %s v%s (weights SHA-256 `%s`), default sampler %s %d step(s), strength %.2f, "
                            + "%d sample(s), seed %d. ", dg.id(), c.id(), c.version(), c.weightsSha256(), d.sampler().toUpperCase(Locale.ROOT),
                    d.steps(), d.strength(), d.samples(), d.seed()));
        }
        md.append(String.format(Locale.ROOT, "Command: `%s` (seed %d, %d CPU threads; %.0f s for the gains, %.0f s in all).%n%n",
                settings.command(), settings.seed(), Runtime.getRuntime().availableProcessors(), protocolSeconds, totalSeconds));
        md.append("Protocol. Each truth is degraded 2x per axis in each way, and every figure is a gain in PSNR over that input's "
                + "own classical baseline: **area** (2x2 box average) against bicubic; **kspace** (the magnitude of the inverse FFT "
                + "of the central half of k-space per axis, `KspaceDegradation`, no filter) against zero-filled (sinc) "
                + "interpolation, with bicubic beside it; kspace **clean**, and with **complex noise** (Gaussian per channel, "
                + "sigma = the 90th percentile of the truth inside the head / " + (int) ProtocolInput.SNR
                + ", before the magnitude: Rician), reported separately. PSNR over the whole slice and inside the head, data "
                + "range 255 on the slab and its renderings, max - min out of domain. Slab head: tissue labels not background "
                + "(models/ch2-tissue-labels), the same pixels in every contrast. Mean / worst: over the images of the set. "
                + "\"" + GUARDED + "\": the service's output (the guard degrades the input once more "
                + "as it was made, box or k-space, and falls back to bicubic or zero-fill where the model loses to that "
                + "interpolation there); \"" + UNGUARDED + "\": the network's output alone, told the degradation where "
                + "the model was trained for it (" + String.join(", ", trained) + "), else given the input "
                + "as a box average.\n\n");
        md.append("Sets:\n\n");
        for (ProtocolSets.ImageSet s : sets) {
            md.append("- **").append(s.name()).append("**: ").append(s.description()).append(": ")
                    .append(String.join(", ", s.cases().stream().map(ProtocolSets.Case::name).toList())).append("\n");
        }
        md.append("\n### Gains over each input's own baseline\n\n");
        List<String> names = methods.stream().map(DegradationProtocol.Method::name).toList();
        md.append(ProtocolReport.summaryTable(rows, names, sets, settings.inputs())).append("\n");
        for (ProtocolSets.ImageSet s : sets) {
            md.append("### Per image, ").append(GUARDED).append(", ").append(s.name()).append("\n\n");
            md.append(ProtocolReport.perImageTable(rows, GUARDED, s, settings.inputs())).append("\n");
        }
        if (calibration != null) {
            ModelConfig.Sampling u = uncertaintySampling(model.config(Degradation.of(trained.get(0))), settings);
            md.append(String.format(Locale.ROOT, "### Uncertainty calibration: %d posterior samples, %s %d step(s), strength %.2f%s, unguarded%n%n",
                    settings.uncertainty(), u.sampler().toUpperCase(Locale.ROOT), u.steps(), u.strength(),
                    settings.uncertaintySampling() == null ? " (the default sampler)" : ""));
            SpreadMethod spread = spreadMethod(model, Degradation.of(trained.get(0)), settings);
            md.append(spread.isSelfTest() ? String.format(Locale.ROOT, "Spread: self-test (`SelfTestSpread`): |the model's output on the "
                    + "input degraded once more - the input|, enlarged 2x (bicubic) and smoothed by a Gaussian of sigma %.1f output pixels%s; "
                    + "below, sd stands for it.%n%n", spread.blurSigma(), spread.gradientBlur() > 0 ? String.format(Locale.ROOT,
                    ", geometric mean with the output's Sobel gradient magnitude smoothed by a Gaussian of sigma %.1f", spread.gradientBlur()) : "")
                    : "Spread: the posterior samples' standard deviation.\n\n");
            md.append("Inside the head. sd: the samples' standard deviation (n - 1) per pixel; error: posterior mean - truth. "
                    + "Spearman: rank correlation with ties as mean ranks. c: the smallest factor for which +-2 c sd covers "
                    + "95 % of the pixels (pooled over the set; per image below). The factor that would be applied is the "
                    + "validation set's (out of domain), per input; it is reported, not applied. Ceiling: the Spearman "
                    + "correlation that the error's own local size (root mean square of the error under a Gaussian of sigma "
                    + UncertaintyCalibration.CEILING_BLUR + " output pixels) reaches with |error|: a spread that knew exactly "
                    + "where the error is large, but not each pixel's draw, ranks the error this well, so a goal above it "
                    + "cannot be reached by any smooth spread. The neighbours' ceiling leaves each pixel's own error out of "
                    + "its local size (weights renormalised): what a spread can know, since no spread sees the pixel's own "
                    + "draw; where the error is spatially white noise it is near 0. Fitted on the image: a ridge regression "
                    + "of log |error| on the logs of the spread, the output's gradient magnitude (sigma 1, 2) and local sd "
                    + "(sigma 2), its departure from the baseline (sigma 1, 2) and its intensity, fitted on half of this "
                    + "image's pixels (8 x 8 blocks, a checkerboard) and scored on the other half, both ways round: fitting "
                    + "on the image under test favours it, so where it ranks the error no better than the spread, these "
                    + "maps hold no more of the ranking."
                    + (settings.uncertaintyLimit() > 0 ? " At most " + settings.uncertaintyLimit() + " image(s) per set, spread evenly over it." : "")
                    + "\n\n");
            md.append(ProtocolReport.calibrationSummary(calibration)).append("\n");
            md.append("#### Per image\n\n").append(ProtocolReport.calibrationPerImage(calibration)).append("\n");
        }
        return md.toString();
    }
}
