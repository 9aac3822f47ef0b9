package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The label renderer's conditioning, objective and sampler, on tiny networks. */
class LabelRenderingTest {

    @Test
    void theConditionIsOneChannelPerPlaneAndClassSetWhereThatPlaneHoldsThatClass() {
        LabelConditioning c = new LabelConditioning(3, 1);
        assertEquals(3, c.planes());
        assertEquals(1 + 9, c.imageChannels());
        // one image of 1x2 pixels, planes below / centre / above
        byte[] labels = {0, 1, 2, 2, 1, 0};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray h = c.oneHot(m, labels, 1, 1, 2);
            assertEquals(new ai.djl.ndarray.types.Shape(1, 9, 1, 2), h.getShape());
            float[] v = h.toFloatArray();
            // channel plane*3 + class, pixel
            float[] expected = {
                    1, 0, 0, 1, 0, 0,   // plane 0: pixel 0 class 0, pixel 1 class 1
                    0, 0, 0, 0, 1, 1,   // plane 1: both class 2
                    0, 1, 1, 0, 0, 0};  // plane 2: pixel 0 class 1, pixel 1 class 0
            assertArrayEquals(expected, v);
        }
        assertThrows(IllegalArgumentException.class, () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                c.oneHot(m, new byte[] {0, 3, 0, 0, 0, 0}, 1, 1, 2);
            }
        });
    }

    @Test
    void aTinyRendererLowersItsLossOnAFixedBatch() throws IOException {
        LabelConditioning c = new LabelConditioning(TinyRenderers.CLASSES, 1);
        LabelRenderingObjective objective = new LabelRenderingObjective(NoiseSchedule.cosine(1000), c);
        NetworkTrainer.Settings settings = new NetworkTrainer.Settings(TinyRenderers.CHANNELS, 4, 16,
                LearningRateSchedule.constant(2e-3f), 0.9f, 11);
        LabelBatch batch = TinyRenderers.batch(new Random(1), 4, 16, c.planes());
        try (NetworkTrainer<LabelBatch> t = new NetworkTrainer<>(objective, settings, null)) {
            float first = t.train(batch, new Random(5));
            float last = first;
            for (int i = 0; i < 40; i++) {
                last = t.train(batch, new Random(5)); // the same timesteps and noise: the same loss surface every step
            }
            assertTrue(Float.isFinite(last));
            assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
        }
    }

    @Test
    void aShippedRendererIsDeterministicForASeedAndDiffersAcrossSeeds(@TempDir Path dir) throws IOException {
        TinyRenderers.ship(dir, 1, 10, 3);
        byte[] planes = TinyRenderers.batch(new Random(2), 1, 24, 3).labels(); // 24: a multiple of 8
        try (LabelRenderingModel model = LabelRenderingModel.load(dir)) {
            float[] a = model.render(planes, 24, 24, 42);
            float[] b = model.render(planes, 24, 24, 42);
            float[] c = model.render(planes, 24, 24, 43);
            assertArrayEquals(a, b, "same labels, same seed: the same image bit for bit");
            assertFalse(java.util.Arrays.equals(a, c), "another seed gives another image");
            for (float v : a) {
                assertTrue(v >= -1 && v <= 1, "in the data range: " + v);
            }
            // 20 x 20 (not a multiple of 8) is padded and cropped back
            byte[] small = TinyRenderers.batch(new Random(2), 1, 20, 3).labels();
            assertEquals(400, model.render(small, 20, 20, 42).length);
            assertThrows(IllegalArgumentException.class, () -> model.render(new byte[24 * 24], 24, 24, 1),
                    "a 2.5-D renderer refuses a single plane");
        }
    }

    @Test
    void weightsThatAreNotTheOnesRecordedAreRefused(@TempDir Path dir) throws IOException {
        TinyRenderers.ship(dir, 0, 1, 2);
        Files.write(dir.resolve("weights.params"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        IOException e = assertThrows(IOException.class, () -> LabelRenderingModel.load(dir));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }
}
