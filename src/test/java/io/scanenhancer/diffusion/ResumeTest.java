package io.scanenhancer.diffusion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A resumed run trains the weights it loaded. (The first implementation loaded them after DJL's trainer had cached
 * the freshly initialised arrays: the run trained those, and every checkpoint saved the loaded ones, unchanged.)
 */
class ResumeTest {

    @Test
    void aResumedRunContinuesFromItsCheckpointAndKeepsTraining(@TempDir Path dir) throws IOException {
        SuperResolutionDiffusion d = new SuperResolutionDiffusion(NoiseSchedule.cosine(1000), 2f);
        TrainingBatch fixed = TinyModels.batch(new Random(4), 8, 16);
        float first, trainedLoss;
        try (NetworkTrainer<TrainingBatch> t = new NetworkTrainer<>(new RegressionObjective(d), TinyModels.settings(8, 2e-3f, 0.9f, 1), dir)) {
            first = t.train(fixed);
            for (int i = 0; i < 40; i++) {
                t.train(fixed);
            }
            trainedLoss = t.train(fixed);
            t.saveCheckpoint(dir);
        }
        byte[] saved = Files.readAllBytes(dir.resolve("regression-raw.params"));
        try (NetworkTrainer<TrainingBatch> t = new NetworkTrainer<>(new RegressionObjective(d), TinyModels.settings(8, 2e-3f, 0.9f, 1), dir)) {
            assertTrue(t.resumed());
            assertEquals(42, t.step());
            float resumedLoss = t.train(fixed);
            assertTrue(resumedLoss < 0.5f * first + 0.5f * trainedLoss,
                    "after resuming the loss should be near " + trainedLoss + ", not back at " + first + ": " + resumedLoss);
            for (int i = 0; i < 5; i++) {
                t.train(fixed);
            }
            t.saveCheckpoint(dir);
        }
        assertFalse(Arrays.equals(saved, Files.readAllBytes(dir.resolve("regression-raw.params"))),
                "the checkpoint after more steps must hold the newly trained weights");
    }

    /**
     * With Adam's moments and t in the checkpoint and the noise a function of (seed, step), the steps after a
     * resume are the steps an uninterrupted run takes. (Before, Adam restarted from zero moments and the losses
     * after a resume jumped.)
     */
    @Test
    void aResumedRunTakesTheSameStepsAsAnUninterruptedOne(@TempDir Path dir) throws IOException {
        SuperResolutionObjective objective = new SuperResolutionObjective(new SuperResolutionDiffusion(NoiseSchedule.cosine(1000), 2f));
        NetworkTrainer.Settings settings = TinyModels.settings(4, 2e-3f, 0.9f, 5);
        float[] straight = new float[10];
        try (NetworkTrainer<TrainingBatch> t = new NetworkTrainer<>(objective, settings, null)) {
            for (int i = 0; i < 10; i++) {
                straight[i] = t.train(TinyModels.batch(new Random(i), 4, 16));
            }
        }
        try (NetworkTrainer<TrainingBatch> t = new NetworkTrainer<>(objective, settings, dir)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(straight[i], t.train(TinyModels.batch(new Random(i), 4, 16)), 1e-4 * Math.abs(straight[i]));
            }
            t.saveCheckpoint(dir);
        }
        try (NetworkTrainer<TrainingBatch> t = new NetworkTrainer<>(objective, settings, dir)) {
            assertTrue(t.resumedOptimiser());
            assertEquals(5, t.step());
            for (int i = 5; i < 10; i++) {
                float loss = t.train(TinyModels.batch(new Random(i), 4, 16));
                // libtorch's threaded reductions may differ in the last bits (TrainingReproducibilityTest)
                assertEquals(straight[i], loss, 1e-4 * Math.abs(straight[i]), "step " + i + " after the resume");
            }
        }
    }
}
