package io.scanenhancer.diffusion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/** Small networks made in a few seconds, for tests that need real weights but not good ones. */
public final class TinyModels {
    static final int[] CHANNELS = {8, 16, 16};

    private TinyModels() {
    }

    /** Sine patterns and their 2x2 box averages: a pair set any network learns a little of in a few steps. */
    public static TrainingBatch batch(Random r, int count, int size) {
        float[] hr = new float[count * size * size];
        for (int n = 0; n < count; n++) {
            double fx = 0.3 + r.nextDouble(), fy = 0.3 + r.nextDouble(), ph = r.nextDouble() * 6;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    hr[n * size * size + y * size + x] = (float) Math.sin(fx * x + fy * y + ph);
                }
            }
        }
        int h = size / 2;
        float[] lr = new float[count * h * h];
        for (int n = 0; n < count; n++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < h; x++) {
                    int b = n * size * size;
                    lr[n * h * h + y * h + x] = (hr[b + 2 * y * size + 2 * x] + hr[b + 2 * y * size + 2 * x + 1]
                            + hr[b + (2 * y + 1) * size + 2 * x] + hr[b + (2 * y + 1) * size + 2 * x + 1]) / 4;
                }
            }
        }
        return new TrainingBatch(count, size, hr, lr);
    }

    static NetworkTrainer.Settings settings(int batch, float learningRate, float emaDecay, long seed) {
        return new NetworkTrainer.Settings(CHANNELS, batch, 16, LearningRateSchedule.constant(learningRate), emaDecay, seed);
    }

    static ModelConfig config() {
        return new ModelConfig("tiny-test", "0", 2, CHANNELS, "v", "cosine", 1000, 2f,
                new ModelConfig.Normalisation("percentile", 1, 99), new ModelConfig.Sampling("ddim", 2, 1, 0, 1.0),
                new ModelConfig.Guard("self-test", 0.0), new ModelConfig.Training(Map.of()), null, null, null, null, null);
    }

    /** Trains a few steps and ships the EMA weights into {@code dir} with a config that records their checksum. */
    public static Path ship(Path dir, int steps) throws IOException {
        ModelConfig config = config();
        SuperResolutionDiffusion d = new SuperResolutionDiffusion(NoiseSchedule.cosine(1000), config.residualScale());
        try (NetworkTrainer<TrainingBatch> t = new NetworkTrainer<>(new SuperResolutionObjective(d), settings(2, 1e-3f, 0.5f, 7), null)) {
            Random r = new Random(3);
            for (int i = 0; i < steps; i++) {
                t.train(batch(r, 2, 16));
            }
            t.saveEmaWeights(dir.resolve("weights.params"));
        }
        config.withWeights("weights.params", PretrainedModel.sha256(dir.resolve("weights.params"))).write(dir.resolve("config.json"));
        return dir;
    }
}
