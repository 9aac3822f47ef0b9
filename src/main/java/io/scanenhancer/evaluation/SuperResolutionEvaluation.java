package io.scanenhancer.evaluation;

import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.SamplerSettings;
import io.scanenhancer.diffusion.SuperResolutionPipeline;
import io.scanenhancer.enhance.Bicubic;
import io.scanenhancer.enhance.DiffusionEnhancer;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.image.FloatImage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The evaluation policy of the super-resolution model (what {@code ./enhancer evaluate} reports): bicubic, the
 * regression U-Net and the diffusion model (one sample and posterior mean, several step counts, CCDF from the
 * regression prior, the guarded default) on the held-out slab and, separately, on the out-of-domain set; a Markdown
 * report and a PNG sheet.
 */
public final class SuperResolutionEvaluation {

    /**
     * @param steps            comma-separated DDIM step counts to report
     * @param posteriorSamples samples of the posterior-mean rows
     * @param strengths        comma-separated CCDF strengths
     * @param slabStride       every n-th held-out slice
     * @param oodLimit         at most this many out-of-domain images; 0: all
     */
    public record Settings(String steps, int posteriorSamples, String strengths, int slabStride, int oodLimit) {
    }

    private SuperResolutionEvaluation() {
    }

    /** Evaluates the model in {@code modelDir}; writes report.md and comparison.png into {@code out}. */
    public static void run(Path modelDir, Path out, Settings settings, PrintStream log) throws IOException {
        String stepList = settings.steps();
        List<EvaluationCase> slab = EvaluationSets.heldOutSlab(settings.slabStride());
        EvaluationSets.OutOfDomain oodSet = EvaluationSets.outOfDomainSet();
        List<EvaluationCase> ood = oodSet.acquisitions();
        ood = ood.subList(0, Math.min(ood.size(), settings.oodLimit() > 0 ? settings.oodLimit() : ood.size()));
        // the method comparison drives one network pair: the one that answers box inputs (a routed folder's area member)
        Path boxMember = io.scanenhancer.diffusion.ModelRoutes.memberFor(modelDir, "area");
        try (PretrainedModel diffusionModel = PretrainedModel.load(boxMember);
             PretrainedModel regressionModel = PretrainedModel.loadPrior(boxMember);
             DiffusionEnhancer guarded = new DiffusionEnhancer(modelDir, true)) {
            if (regressionModel == null) {
                throw new IllegalArgumentException(modelDir + " has no regression network (priorWeightsFile) in config.json");
            }
            SuperResolutionPipeline diffusion = new SuperResolutionPipeline(diffusionModel, regressionModel);
            SuperResolutionPipeline regression = new SuperResolutionPipeline(regressionModel);
            ModelConfig.Sampling d = diffusionModel.config().sampling();
            if (!java.util.Arrays.asList(stepList.split(",")).contains(Integer.toString(d.steps()))) {
                stepList = stepList + "," + d.steps(); // the sheet shows the default setting
            }
            List<MethodUnderTest> methods = new ArrayList<>();
            methods.add(new MethodUnderTest("bicubic", lr -> MethodUnderTest.Output.of(Bicubic.upscale(lr, 2))));
            methods.add(new MethodUnderTest("regression U-Net", lr -> run(regression, lr, new SamplerSettings("regression", 1, 1, 0))));
            for (String s : stepList.split(",")) {
                int steps = Integer.parseInt(s.trim());
                methods.add(new MethodUnderTest("diffusion DDIM " + steps + " steps, 1 sample",
                        lr -> run(diffusion, lr, new SamplerSettings("ddim", steps, 1, d.seed()))));
            }
            for (String s : stepList.split(",")) {
                int steps = Integer.parseInt(s.trim());
                methods.add(new MethodUnderTest("diffusion DDIM " + steps + " steps, mean of " + settings.posteriorSamples(),
                        lr -> run(diffusion, lr, new SamplerSettings("ddim", steps, settings.posteriorSamples(), d.seed()))));
            }
            methods.add(new MethodUnderTest("diffusion DDPM 20 steps, 1 sample",
                    lr -> run(diffusion, lr, new SamplerSettings("ddpm", 20, 1, d.seed()))));
            for (String st : settings.strengths().split(",")) {
                double strength = Double.parseDouble(st.trim());
                for (int steps : new int[] {1, 2, 4}) {
                    methods.add(new MethodUnderTest(String.format("CCDF from regression, strength %.2f, DDIM %d, 1 sample", strength, steps),
                            lr -> run(diffusion, lr, new SamplerSettings("ddim", steps, 1, d.seed(), strength))));
                }
                methods.add(new MethodUnderTest(String.format("CCDF from regression, strength %.2f, DDIM 2, mean of %d", strength, settings.posteriorSamples()),
                        lr -> run(diffusion, lr, new SamplerSettings("ddim", 2, settings.posteriorSamples(), d.seed(), strength))));
            }
            String defaultMeanName = String.format("default sampler (%s %d step(s), strength %.2f), mean of %d",
                    d.sampler().toUpperCase(), d.steps(), d.strength(), settings.posteriorSamples());
            methods.add(new MethodUnderTest(defaultMeanName, lr -> run(diffusion, lr,
                    new SamplerSettings(d.sampler(), d.steps(), settings.posteriorSamples(), d.seed(), d.strength()))));
            String defaultName = String.format("default (%s %d step(s), strength %.2f, %d sample%s) with guard",
                    d.sampler().toUpperCase(), d.steps(), d.strength(), d.samples(), d.samples() > 1 ? "s" : "");
            methods.add(new MethodUnderTest(defaultName, lr -> guarded(guarded, lr)));

            Evaluator evaluator = new Evaluator();
            log.printf("evaluating %d methods on %d held-out slices, %d out-of-domain acquisitions and %d synthetic patterns%n",
                    methods.size(), slab.size(), ood.size(), oodSet.syntheticPatterns().size());
            String slabKeep = slab.get(slab.size() / 2).name();
            String oodKeep = ood.get(0).name();
            List<Evaluator.Score> slabScores = evaluator.run(methods, slab, "slab", slabKeep);
            Map<String, MethodUnderTest.Output> slabKept = Map.copyOf(evaluator.kept());
            evaluator.kept().clear();
            List<Evaluator.Score> oodScores = evaluator.run(methods, ood, "ood", oodKeep);
            Map<String, MethodUnderTest.Output> oodKept = Map.copyOf(evaluator.kept());
            List<Evaluator.Score> syntheticScores = oodSet.syntheticPatterns().isEmpty() ? List.of()
                    : evaluator.run(methods, oodSet.syntheticPatterns(), "synthetic", null);

            Files.createDirectories(out);
            Path sheet = out.resolve("comparison.png");
            ComparisonSheet.write(sheet, List.of(
                    row(slab, slabKeep, slabKept, defaultName, defaultMeanName),
                    row(ood, oodKeep, oodKept, defaultName, defaultMeanName)), null);
            String report = report(diffusionModel.config(), slab, ood, oodSet, slabScores, oodScores, syntheticScores, defaultName, modelDir);
            Files.writeString(out.resolve("report.md"), report);
            log.println();
            log.println(report);
            log.println("report: " + out.resolve("report.md").toAbsolutePath());
            log.println("sheet:  " + sheet.toAbsolutePath());
        }
    }

    private static MethodUnderTest.Output run(SuperResolutionPipeline p, FloatImage lr, SamplerSettings s) {
        SuperResolutionPipeline.Result r = p.upscale(lr.pixels(), lr.height(), lr.width(), s);
        int h = 2 * lr.height(), w = 2 * lr.width();
        return new MethodUnderTest.Output(new FloatImage(h, w, r.mean()), r.spread() == null ? null : new FloatImage(h, w, r.spread()), false);
    }

    private static MethodUnderTest.Output guarded(DiffusionEnhancer e, FloatImage lr) {
        EnhancedImage r = e.enhance(lr, EnhanceSettings.defaults());
        return new MethodUnderTest.Output(r.image(), r.uncertainty(), r.fellBack());
    }

    private static List<ComparisonSheet.Panel> row(List<EvaluationCase> cases, String name, Map<String, MethodUnderTest.Output> kept,
                                                   String defaultName, String meanName) {
        EvaluationCase c = cases.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        FloatImage diffusion = kept.get(defaultName).image();
        FloatImage spread = kept.get(meanName).spread();
        return List.of(
                new ComparisonSheet.Panel("LR input", c.input(), false),
                new ComparisonSheet.Panel("bicubic", kept.get("bicubic").image(), false),
                new ComparisonSheet.Panel("regression U-Net", kept.get("regression U-Net").image(), false),
                new ComparisonSheet.Panel("diffusion (default)", diffusion, false),
                new ComparisonSheet.Panel("posterior std (" + meanName.substring(meanName.lastIndexOf("mean of")) + ")", spread, true),
                new ComparisonSheet.Panel("truth: " + c.name(), c.truth(), false),
                new ComparisonSheet.Panel("|diffusion - truth|", ComparisonSheet.absoluteError(diffusion, c.truth()), true));
    }

    private static String report(ModelConfig config, List<EvaluationCase> slab, List<EvaluationCase> ood, EvaluationSets.OutOfDomain oodSet,
                                 List<Evaluator.Score> slabScores, List<Evaluator.Score> oodScores,
                                 List<Evaluator.Score> syntheticScores, String defaultName, Path modelDir) {
        StringBuilder md = new StringBuilder();
        md.append("# Evaluation of ").append(config.id()).append(" v").append(config.version()).append("\n\n");
        md.append("Made by `./enhancer evaluate` with the weights in `").append(modelDir).append("` (SHA-256 `")
                .append(config.weightsSha256()).append("`), ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPU threads. Every input is the 2x2 box average of the truth. PSNR data range: 255 on the slab (the volume's 8-bit range), ")
                .append("max - min of each image out of domain. \"head\": pixels above 10% of the 1st-99th percentile range of the truth; ")
                .append("\"brain\": ch2bet.nii.gz > 0. SSIM: Gaussian window 11, sigma 1.5, same data range. ")
                .append("LR-consistency: RMS of boxDown(output) - input, % of the data range. Times are per slice, one slice at a time.\n\n");
        md.append("## Held-out slab of ch2.nii.gz (").append(slab.size()).append(" axial slices: ")
                .append(String.join(", ", slab.stream().map(EvaluationCase::name).toList())).append(")\n\n");
        md.append(EvaluationReport.methodTable(slabScores, true)).append("\n");
        md.append("### Per slice, ").append(defaultName).append("\n\n");
        md.append(EvaluationReport.perImageTable(slabScores, defaultName)).append("\n");
        md.append("## Out of domain (").append(ood.size()).append(" real acquisitions from Debian's test data: the validation set)\n\n");
        md.append(EvaluationReport.methodTable(oodScores, false)).append("\n");
        for (String left : oodSet.leftOut()) {
            md.append("Left out: ").append(left).append("\n\n");
        }
        md.append("### Per image, ").append(defaultName).append("\n\n");
        md.append(EvaluationReport.perImageTable(oodScores, defaultName)).append("\n");
        md.append("### Per image, regression U-Net\n\n");
        md.append(EvaluationReport.perImageTable(oodScores, "regression U-Net")).append("\n");
        if (!syntheticScores.isEmpty()) {
            md.append("## Synthetic test pattern (not an acquisition; reported for robustness, used for no choice)\n\n");
            md.append(String.join(", ", oodSet.syntheticPatterns().stream().map(EvaluationCase::name).toList()))
                    .append(": the DICOM header is a real one, the pixels are an exact intensity ramp. Data range max - min.\n\n");
            md.append(EvaluationReport.methodTable(syntheticScores, false)).append("\n");
        }
        return md.toString();
    }
}
