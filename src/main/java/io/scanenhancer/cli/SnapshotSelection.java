package io.scanenhancer.cli;

import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.SamplerSettings;
import io.scanenhancer.diffusion.SuperResolutionPipeline;
import io.scanenhancer.enhance.Bicubic;
import io.scanenhancer.enhance.FloatImage;
import io.scanenhancer.evaluation.EvaluationCase;
import io.scanenhancer.evaluation.EvaluationSets;
import io.scanenhancer.evaluation.ImageMetrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Picks the training snapshots to ship by their mean PSNR gain over bicubic on the out-of-domain set (never by
 * training loss), for the diffusion model (default sampler, one sample, guard off) and, by the same rule, for the
 * regression baseline; copies them into the model folder and writes its config with the weights' checksums.
 */
final class SnapshotSelection {
    static final String WEIGHTS = "weights.params";
    static final String BASELINE = "baseline-regression.params";

    private SnapshotSelection() {
    }

    /**
     * @param defaults the service default written into the shipped config, and the setting snapshots are judged by
     */
    static void selectAndShip(Path runDir, Path shipDir, int last, ModelConfig.Sampling defaults) throws IOException {
        ModelConfig config = ModelConfig.read(runDir.resolve("config.json")).withSampling(defaults);
        List<EvaluationCase> ood = EvaluationSets.outOfDomain();
        Map<String, Object> details = new LinkedHashMap<>(config.training().details());
        // the regression network first: it is both the baseline and the prior that the default sampler starts from
        Path bestRegression = best(runDir, "regression", last, config, ood, new SamplerSettings("regression", 1, 1, 0), null, details);
        Path bestDiffusion = best(runDir, "diffusion", last, config, ood,
                new SamplerSettings(defaults.sampler(), defaults.steps(), defaults.samples(), defaults.seed(), defaults.strength()),
                bestRegression, details);
        Files.createDirectories(shipDir);
        Files.copy(bestDiffusion, shipDir.resolve(WEIGHTS), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(bestRegression, shipDir.resolve(BASELINE), StandardCopyOption.REPLACE_EXISTING);
        details.put("shippedDiffusionSnapshot", bestDiffusion.getFileName().toString());
        details.put("shippedRegressionSnapshot", bestRegression.getFileName().toString());
        config.withTraining(new ModelConfig.Training(details))
                .withPrior(BASELINE, PretrainedModel.sha256(shipDir.resolve(BASELINE)))
                .withWeights(WEIGHTS, PretrainedModel.sha256(shipDir.resolve(WEIGHTS)))
                .write(shipDir.resolve("config.json"));
        System.out.println("shipped " + bestDiffusion.getFileName() + " and " + bestRegression.getFileName() + " to " + shipDir);
    }

    private static Path best(Path runDir, String prefix, int last, ModelConfig config, List<EvaluationCase> ood,
                             SamplerSettings settings, Path prior, Map<String, Object> details) throws IOException {
        List<Path> snapshots;
        try (Stream<Path> s = Files.list(runDir.resolve("snapshots"))) {
            snapshots = s.filter(p -> p.getFileName().toString().startsWith(prefix + "-") && p.toString().endsWith(".params"))
                    .sorted().toList();
        }
        if (snapshots.isEmpty()) {
            throw new IOException("no " + prefix + " snapshots in " + runDir.resolve("snapshots"));
        }
        snapshots = snapshots.subList(Math.max(0, snapshots.size() - last), snapshots.size());
        Path best = null;
        double bestGain = Double.NEGATIVE_INFINITY;
        Map<String, String> table = new LinkedHashMap<>();
        for (Path snapshot : snapshots) {
            double gain = meanGain(config, snapshot, prior, ood, settings);
            table.put(snapshot.getFileName().toString(), String.format("%+.3f dB", gain));
            System.out.printf("  %s: out-of-domain gain over bicubic %+.3f dB%n", snapshot.getFileName(), gain);
            if (gain > bestGain) {
                bestGain = gain;
                best = snapshot;
            }
        }
        details.put(prefix + "SnapshotSelection", table);
        return best;
    }

    static double meanGain(ModelConfig config, Path weights, Path prior, List<EvaluationCase> cases, SamplerSettings settings)
            throws IOException {
        try (PretrainedModel model = PretrainedModel.load(config, weights, false);
             PretrainedModel priorModel = prior == null ? null : PretrainedModel.load(config, prior, false)) {
            SuperResolutionPipeline p = new SuperResolutionPipeline(model, priorModel);
            double sum = 0;
            for (EvaluationCase c : cases) {
                FloatImage lr = c.input();
                float[] out = p.upscale(lr.pixels(), lr.height(), lr.width(), settings).mean();
                FloatImage hr = new FloatImage(c.truth().height(), c.truth().width(), out);
                sum += ImageMetrics.psnr(hr, c.truth(), null, c.dataRange())
                        - ImageMetrics.psnr(Bicubic.upscale(lr, 2), c.truth(), null, c.dataRange());
            }
            return sum / cases.size();
        }
    }
}
