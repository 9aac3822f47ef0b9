package io.scanenhancer.diffusion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PretrainedModelTest {

    @Test
    void savedWeightsReloadToTheSameOutputs(@TempDir Path dir) throws IOException {
        TinyModels.ship(dir, 3);
        float[] lr = TinyModels.batch(new Random(1), 1, 32).lowRes();
        SamplerSettings s = new SamplerSettings("ddim", 3, 1, 11);
        float[] first, second;
        try (PretrainedModel m = PretrainedModel.load(dir)) {
            first = new SuperResolutionPipeline(m).upscale(lr, 16, 16, s).mean();
        }
        try (PretrainedModel m = PretrainedModel.load(dir)) {
            second = new SuperResolutionPipeline(m).upscale(lr, 16, 16, s).mean();
        }
        assertArrayEquals(first, second, "same weights, same seed: the very same image");
        assertEquals(32 * 32, first.length);
    }

    @Test
    void aCorruptWeightsFileIsRefusedWithItsChecksum(@TempDir Path dir) throws IOException {
        TinyModels.ship(dir, 1);
        Files.write(dir.resolve("weights.params"), new byte[] {1}, StandardOpenOption.APPEND);
        IOException e = assertThrows(IOException.class, () -> PretrainedModel.load(dir));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void aMissingModelSaysWhere(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> PretrainedModel.load(dir.resolve("nothing")));
        assertTrue(e.getMessage().contains("config.json is missing"), e.getMessage());
    }
}
