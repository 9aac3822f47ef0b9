package io.scanenhancer.training;

import io.scanenhancer.volume.HeldOutSlab;

import io.scanenhancer.diffusion.TrainingBatch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeldOutSlabTest {

    @Test
    void noTrainingImageTouchesTheSlabOrItsMargin() throws IOException {
        MriTrainingData data = MriTrainingData.load(Path.of("/usr/share/mricron/templates/ch2.nii.gz"), HeldOutSlab.CH2, 1, 99);
        for (int k = HeldOutSlab.CH2.excludedFrom(); k < HeldOutSlab.CH2.excludedTo(); k++) {
            assertFalse(data.coversAxialSlice(k), "axial slice " + k + " must not be trained on");
        }
        assertTrue(data.coversAxialSlice(HeldOutSlab.CH2.excludedFrom() - 1));
        assertTrue(data.coversAxialSlice(HeldOutSlab.CH2.excludedTo()));
    }

    @Test
    void batchesArePairsOfAnImageAndItsBoxAverage() throws IOException {
        MriTrainingData data = MriTrainingData.load(Path.of("/usr/share/mricron/templates/ch2.nii.gz"), HeldOutSlab.CH2, 1, 99);
        TrainingBatch b = data.nextBatch(new Random(1), 2, 16);
        assertEquals(2 * 16 * 16, b.highRes().length);
        assertEquals(2 * 8 * 8, b.lowRes().length);
        for (float v : b.highRes()) {
            assertTrue(Float.isFinite(v));
        }
    }
}
