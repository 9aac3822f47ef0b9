package io.scanenhancer.training;

import io.scanenhancer.diffusion.LabelBatch;
import io.scanenhancer.diffusion.LabelConditioning;
import io.scanenhancer.diffusion.LabelRenderingObjective;
import io.scanenhancer.diffusion.LearningRateSchedule;
import io.scanenhancer.diffusion.NetworkTrainer;
import io.scanenhancer.diffusion.NoiseSchedule;
import io.scanenhancer.diffusion.TinyRenderers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The renderer's objective on the shared loop: stopped and resumed from its folder, it ends where an uninterrupted run ends. */
class RendererResumeTest {
    private static final LabelConditioning CONDITIONING = new LabelConditioning(TinyRenderers.CLASSES, 1);

    /** Trains up to {@code steps} on {@code out}, then returns the loss of a probe batch (after the last checkpoint). */
    private static float train(Path out, long steps) throws IOException {
        NetworkTrainer.Settings settings = new NetworkTrainer.Settings(TinyRenderers.CHANNELS, 2, 16,
                LearningRateSchedule.cosine(2e-3f, 0.05f, 6), 0.9f, 3);
        try (NetworkTrainer<LabelBatch> r = new NetworkTrainer<>(
                new LabelRenderingObjective(NoiseSchedule.cosine(1000), CONDITIONING), settings, out)) {
            TrainingLoop<LabelBatch> loop = new TrainingLoop<>(new TrainingLoop.Settings(steps, 60, 3, 1, 11), out,
                    random -> TinyRenderers.batch(random, 2, 16, CONDITIONING.planes()), List.of(r), p -> { },
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(TrainingLoop.Outcome.STEPS_DONE, loop.run());
            assertEquals(steps, r.step());
            return r.train(TinyRenderers.batch(new Random(99), 2, 16, CONDITIONING.planes()), new Random(7));
        }
    }

    @Test
    void aResumedRunEndsWithTheWeightsOfAnUninterruptedOne(@TempDir Path dir) throws IOException {
        float straight = train(dir.resolve("straight"), 6);
        train(dir.resolve("split"), 3);
        float resumed = train(dir.resolve("split"), 6);
        // libtorch's threaded reductions may differ in the last bits (TrainingReproducibilityTest)
        assertEquals(straight, resumed, 1e-4 * Math.abs(straight));
    }
}
