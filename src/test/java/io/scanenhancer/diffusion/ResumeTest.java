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
        try (DiffusionTrainer t = new DiffusionTrainer(DiffusionTrainer.Objective.REGRESSION, d, TinyModels.CHANNELS, 16, 8, LearningRateSchedule.constant(2e-3f), 0.9f, 1, dir)) {
            first = t.train(fixed);
            for (int i = 0; i < 40; i++) {
                t.train(fixed);
            }
            trainedLoss = t.train(fixed);
            t.saveCheckpoint(dir);
        }
        byte[] saved = Files.readAllBytes(dir.resolve("regression-raw.params"));
        try (DiffusionTrainer t = new DiffusionTrainer(DiffusionTrainer.Objective.REGRESSION, d, TinyModels.CHANNELS, 16, 8, LearningRateSchedule.constant(2e-3f), 0.9f, 1, dir)) {
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
}
