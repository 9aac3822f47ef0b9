package io.scanenhancer.diffusion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test-time adaptation of the regression prior to one series (issue 20, point 5): the prior is fine-tuned for a bounded
 * number of steps on pairs made from the incoming images themselves, each input degraded once more being the pair's
 * input and the input its target (the internal learning of zero-shot super-resolution, Shocher et al. 2018, here as
 * fine-tuning of the trained prior rather than training from scratch). The sampler then starts from the adapted prior;
 * the diffusion network is not touched. The pairs are made by the caller, which knows the degradation operators.
 */
public final class PriorAdaptation {

    /**
     * @param steps        fine-tuning steps (0: the prior as shipped)
     * @param batch        patches per step
     * @param learningRate constant Adam rate
     */
    public record Settings(int steps, int batch, float learningRate, long seed) {
        public Settings {
            if (steps < 0 || steps > 2000) {
                throw new IllegalArgumentException("adaptation steps must be 0..2000, got " + steps);
            }
        }
    }

    /**
     * One image of the series as a pair, in the image's own units: {@code target} (height x width, the incoming image),
     * {@code input} (its degradation, height/2 x width/2) and, for k-space pairs, {@code baseline} (the zero-filled
     * input, height x width); null baseline: bicubic, as for box pairs.
     */
    public record Pair(int height, int width, float[] target, float[] input, float[] baseline) {
    }

    private PriorAdaptation() {
    }

    /**
     * Fine-tunes {@code prior} on {@code pairs} and returns the adapted prior, loaded from {@code workDir} (which the
     * caller deletes). Patches are the largest multiple of the network's size multiple that fits every pair, at most 64.
     */
    public static PretrainedModel adapt(PretrainedModel prior, Path priorWeights, List<Pair> pairs, Degradation degradation,
                                        Settings s, Path workDir) throws IOException {
        ModelConfig c = prior.config();
        int patch = patchSize(pairs);
        Formulation f = Formulation.of(c);
        SuperResolutionDiffusion diffusion = new SuperResolutionDiffusion(NoiseSchedule.cosine(c.trainTimesteps()), c.residualScale(), f);
        NetworkTrainer.Settings t = new NetworkTrainer.Settings(c.channels(), s.batch(), patch,
                LearningRateSchedule.constant(s.learningRate()), 0.999f, s.seed());
        List<float[][]> normalised = normalise(pairs, c.normalisation());
        Path weights = workDir.resolve("adapted-prior.params");
        Files.createDirectories(workDir);
        try (NetworkTrainer<TrainingBatch> trainer = NetworkTrainer.fineTuning(new RegressionObjective(diffusion), t, priorWeights)) {
            Random crops = new Random(s.seed());
            for (int step = 0; step < s.steps(); step++) {
                trainer.train(batch(pairs, normalised, patch, s.batch(), degradation, crops), NetworkTrainer.stepRandom(s.seed(), step));
            }
            trainer.saveRawWeights(weights);
        }
        return PretrainedModel.load(c, weights, false);
    }

    /** The largest multiple of the size multiple that fits every target, at most 64. */
    static int patchSize(List<Pair> pairs) {
        int smallest = Integer.MAX_VALUE;
        for (Pair p : pairs) {
            smallest = Math.min(smallest, Math.min(p.height(), p.width()));
        }
        int m = ConditionalUNet.sizeMultiple();
        int patch = Math.min(64, smallest / m * m);
        if (patch < m) {
            throw new IllegalArgumentException("images of " + smallest + " pixels are too small to adapt on (need " + m + ")");
        }
        return patch;
    }

    /** Per pair {target, input, baseline}, each by the affine map fitted on the pair's input, as training pairs are. */
    private static List<float[][]> normalise(List<Pair> pairs, ModelConfig.Normalisation n) {
        List<float[][]> out = new ArrayList<>(pairs.size());
        for (Pair p : pairs) {
            IntensityNormalisation norm = IntensityNormalisation.fit(p.input(), n.lowPercentile(), n.highPercentile());
            out.add(new float[][] {norm.forward(p.target()), norm.forward(p.input()), p.baseline() == null ? null : norm.forward(p.baseline())});
        }
        return out;
    }

    /** Random patches at even offsets, so that each target patch and its input patch cover the same area. */
    private static TrainingBatch batch(List<Pair> pairs, List<float[][]> normalised, int patch, int count, Degradation d, Random r) {
        int half = patch / 2;
        float[] hr = new float[count * patch * patch], lr = new float[count * half * half];
        float[] baseline = d == Degradation.KSPACE ? new float[hr.length] : null;
        for (int b = 0; b < count; b++) {
            int i = r.nextInt(pairs.size());
            Pair p = pairs.get(i);
            float[][] v = normalised.get(i);
            int y = 2 * r.nextInt((p.height() - patch) / 2 + 1), x = 2 * r.nextInt((p.width() - patch) / 2 + 1);
            for (int row = 0; row < patch; row++) {
                System.arraycopy(v[0], (y + row) * p.width() + x, hr, (b * patch + row) * patch, patch);
                if (baseline != null) {
                    System.arraycopy(v[2], (y + row) * p.width() + x, baseline, (b * patch + row) * patch, patch);
                }
            }
            int w2 = p.width() / 2;
            for (int row = 0; row < half; row++) {
                System.arraycopy(v[1], (y / 2 + row) * w2 + x / 2, lr, (b * half + row) * half, half);
            }
        }
        float[] codes = null;
        if (baseline != null) {
            codes = new float[count];
            java.util.Arrays.fill(codes, d.code());
        }
        return new TrainingBatch(count, patch, hr, lr, codes, baseline);
    }
}
