package io.scanenhancer.diffusion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/** Label renderers trained for a few steps on stripes of two tissues: real weights in seconds, for tests. */
public final class TinyRenderers {
    public static final int[] CHANNELS = {8, 16, 16};
    public static final int CLASSES = 8;

    private TinyRenderers() {
    }

    /** Stripes of label 2 (dark, -0.5) and 4 (bright, +0.5) at random angles; every plane carries the same stripes. */
    public static LabelBatch batch(Random r, int count, int size, int planes) {
        float[] images = new float[count * size * size];
        byte[] labels = new byte[count * planes * size * size];
        for (int n = 0; n < count; n++) {
            double fx = 0.2 + 0.3 * r.nextDouble(), fy = 0.2 + 0.3 * r.nextDouble(), ph = 6 * r.nextDouble();
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean bright = Math.sin(fx * x + fy * y + ph) > 0;
                    images[n * size * size + y * size + x] = bright ? 0.5f : -0.5f;
                    for (int p = 0; p < planes; p++) {
                        labels[(n * planes + p) * size * size + y * size + x] = (byte) (bright ? 4 : 2);
                    }
                }
            }
        }
        return new LabelBatch(count, size, planes, images, labels);
    }

    public static RendererConfig config(int neighbours, int steps) {
        return new RendererConfig("tiny-renderer", "0", CLASSES, neighbours, 1.0, 1.0, 16, CHANNELS, "v", "cosine", 1000,
                new double[] {0, 255}, new RendererConfig.Sampling("ddim", steps, true), Map.of(), null, null);
    }

    /** Trains {@code trainSteps} steps and ships the EMA weights into {@code dir} with a checksum-recording config. */
    public static Path ship(Path dir, int neighbours, int trainSteps, int samplingSteps) throws IOException {
        RendererConfig config = config(neighbours, samplingSteps);
        LabelRenderingObjective objective = new LabelRenderingObjective(NoiseSchedule.cosine(1000), config.conditioning());
        NetworkTrainer.Settings settings = new NetworkTrainer.Settings(CHANNELS, 2, 16, LearningRateSchedule.constant(1e-3f), 0.5f, 7);
        try (NetworkTrainer<LabelBatch> t = new NetworkTrainer<>(objective, settings, null)) {
            Random r = new Random(3);
            for (int i = 0; i < trainSteps; i++) {
                t.train(batch(r, 2, 16, config.conditioning().planes()));
            }
            t.saveEmaWeights(dir.resolve("weights.params"));
        }
        config.withWeights("weights.params", PretrainedModel.sha256(dir.resolve("weights.params"))).write(dir.resolve("config.json"));
        return dir;
    }
}
