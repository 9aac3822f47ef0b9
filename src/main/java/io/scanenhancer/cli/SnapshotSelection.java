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

    static void selectAndShip(Path runDir, Path shipDir, int last) throws IOException {
        ModelConfig config = ModelConfig.read(runDir.resolve("config.json"));
        List<EvaluationCase> ood = EvaluationSets.outOfDomain();
        Map<String, Object> details = new LinkedHashMap<>(config.training().details());
        Path bestDiffusion = best(runDir, "diffusion", last, config, ood,
                new SamplerSettings(config.sampling().sampler(), config.sampling().steps(), 1, config.sampling().seed()), details);
        Path bestRegression = best(runDir, "regression", last, config, ood, new SamplerSettings("regression", 1, 1, 0), details);
        Files.createDirectories(shipDir);
        Files.copy(bestDiffusion, shipDir.resolve(WEIGHTS), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(bestRegression, shipDir.resolve(BASELINE), StandardCopyOption.REPLACE_EXISTING);
        details.put("shippedDiffusionSnapshot", bestDiffusion.getFileName().toString());
        details.put("shippedRegressionSnapshot", bestRegression.getFileName().toString());
        details.put("baselineWeightsFile", BASELINE);
        details.put("baselineWeightsSha256", PretrainedModel.sha256(shipDir.resolve(BASELINE)));
        config.withTraining(new ModelConfig.Training(details))
                .withWeights(WEIGHTS, PretrainedModel.sha256(shipDir.resolve(WEIGHTS)))
                .write(shipDir.resolve("config.json"));
        System.out.println("shipped " + bestDiffusion.getFileName() + " and " + bestRegression.getFileName() + " to " + shipDir);
    }

    private static Path best(Path runDir, String prefix, int last, ModelConfig config, List<EvaluationCase> ood,
                             SamplerSettings settings, Map<String, Object> details) throws IOException {
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
            double gain = meanGain(config, snapshot, ood, settings);
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

    static double meanGain(ModelConfig config, Path weights, List<EvaluationCase> cases, SamplerSettings settings) throws IOException {
        try (PretrainedModel model = PretrainedModel.load(config, weights, false)) {
            SuperResolutionPipeline p = new SuperResolutionPipeline(model);
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

    /** The regression baseline shipped beside the model, checked against the checksum in config.json. */
    static PretrainedModel loadBaseline(Path modelDir) throws IOException {
        ModelConfig config = ModelConfig.read(modelDir.resolve("config.json"));
        Object file = config.training().details().get("baselineWeightsFile");
        Object sha = config.training().details().get("baselineWeightsSha256");
        if (file == null || sha == null) {
            throw new IOException(modelDir + " has no regression baseline recorded in config.json");
        }
        return PretrainedModel.load(config.withWeights(file.toString(), sha.toString()), modelDir.resolve(file.toString()), true);
    }
}
