package io.scanenhancer.training;

import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.SamplerSettings;
import io.scanenhancer.diffusion.SuperResolutionPipeline;
import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.enhance.ClassicalInterpolation;
import io.scanenhancer.enhance.KspaceDegradation;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.evaluation.EvaluationCase;
import io.scanenhancer.evaluation.EvaluationSets;
import io.scanenhancer.evaluation.ImageMetrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Picks the training snapshots to ship by their PSNR gain over the classical interpolation on the out-of-domain set
 * (never by training loss), over every degradation the run was trained for (bicubic for box inputs, zero-filling for
 * k-space inputs made from the same truths), for the diffusion model (default sampler, one sample, guard off) and, by the same rule, for the regression
 * baseline; copies them into the model folder and writes its config with the weights' checksums. The rule is
 * {@link #choose}.
 */
public final class SnapshotSelection {
    public static final String WEIGHTS = "weights.params";
    public static final String BASELINE = "baseline-regression.params";
    /** Mean gains closer than this are not told apart by a set of a few images. */
    public static final double TIE_DB = 0.05;
    /** The per-image target: no out-of-domain image worse than bicubic by more than this. */
    public static final double WORST_IMAGE_FLOOR_DB = -0.5;
    public static final String RULE = "out-of-domain set only: among snapshots whose worst image is at most " + -WORST_IMAGE_FLOOR_DB
            + " dB below bicubic (all, if none is), the latest whose mean gain is within " + TIE_DB + " dB of the best";

    /** One snapshot's out-of-domain result: mean gain over bicubic, and the gain on its worst image. */
    public record Score(Path snapshot, double meanGain, double worstGain) {
    }

    private SnapshotSelection() {
    }

    /**
     * @param defaults the service default written into the shipped config, and the setting snapshots are judged by
     */
    public static void selectAndShip(Path runDir, Path shipDir, int last, ModelConfig.Sampling defaults) throws IOException {
        ModelConfig config = ModelConfig.read(runDir.resolve("config.json")).withSampling(defaults);
        List<EvaluationCase> ood = EvaluationSets.outOfDomain();
        Map<String, Object> details = new LinkedHashMap<>(config.training().details());
        details.put("snapshotSelectionRule", RULE);
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
        Map<String, String> table = new LinkedHashMap<>();
        List<Score> scores = new ArrayList<>();
        for (Path snapshot : snapshots) {
            Score score = score(config, snapshot, prior, ood, settings);
            scores.add(score);
            String line = String.format("mean %+.3f dB, worst image %+.3f dB", score.meanGain(), score.worstGain());
            table.put(snapshot.getFileName().toString(), line);
            System.out.printf("  %s: out-of-domain gain over " + String.join(" / ", config.trainedDegradations().stream()
                    .map(id -> Degradation.of(id).interpolation()).toList()) + " %s%n", snapshot.getFileName(), line);
        }
        details.put(prefix + "SnapshotSelection", table);
        return choose(scores).snapshot();
    }

    /**
     * The latest snapshot (scores are in step order) whose mean gain is within {@link #TIE_DB} of the best, among those
     * that keep every image within {@link #WORST_IMAGE_FLOOR_DB} of bicubic (all of them, if none does). Later
     * snapshots have seen more data at a lower learning rate; differences of hundredths of a dB on a few images are
     * noise, and taking the strict maximum picked early, undertrained snapshots.
     */
    public static Score choose(List<Score> scores) {
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("no snapshots to choose from");
        }
        List<Score> eligible = scores.stream().filter(s -> s.worstGain() >= WORST_IMAGE_FLOOR_DB).toList();
        if (eligible.isEmpty()) {
            eligible = scores;
        }
        double best = eligible.stream().mapToDouble(Score::meanGain).max().orElseThrow();
        Score chosen = null;
        for (Score s : eligible) {
            if (s.meanGain() >= best - TIE_DB) {
                chosen = s;
            }
        }
        return chosen;
    }

    /**
     * Mean and worst gain over every (trained degradation, case) pair. A box case's input is its 2x2 average; a k-space
     * case's is {@link KspaceDegradation#degrade} of the same truth (noise-free, unfiltered), scored against zero-filling.
     */
    public static Score score(ModelConfig config, Path weights, Path prior, List<EvaluationCase> cases, SamplerSettings settings)
            throws IOException {
        try (PretrainedModel model = PretrainedModel.load(config, weights, false);
             PretrainedModel priorModel = prior == null ? null : PretrainedModel.load(config, prior, false)) {
            SuperResolutionPipeline p = new SuperResolutionPipeline(model, priorModel, KspaceDegradation.BY_TWO);
            double sum = 0, worst = Double.POSITIVE_INFINITY;
            int n = 0;
            for (String id : config.trainedDegradations()) {
                Degradation d = Degradation.of(id);
                for (EvaluationCase c : cases) {
                    FloatImage lr = d == Degradation.AREA ? c.input() : KspaceDegradation.degrade(c.truth(), 2);
                    float[] out = p.upscaleAll(List.of(lr.pixels()), lr.height(), lr.width(), settings, Integer.MAX_VALUE, d)
                            .get(0).mean();
                    FloatImage hr = new FloatImage(2 * lr.height(), 2 * lr.width(), out);
                    FloatImage truth = KspaceDegradation.croppedToMultiple(c.truth(), 2);
                    double gain = ImageMetrics.psnr(hr, truth, null, c.dataRange())
                            - ImageMetrics.psnr(ClassicalInterpolation.upscale(d, lr, 2), truth, null, c.dataRange());
                    sum += gain;
                    worst = Math.min(worst, gain);
                    n++;
                }
            }
            return new Score(weights, sum / n, worst);
        }
    }
}
