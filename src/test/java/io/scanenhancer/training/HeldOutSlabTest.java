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

    @Test
    void theMarginsAreTheExcludedSlicesOutsideTheSlab() {
        int[][] runs = HeldOutSlab.CH2.marginRuns();
        assertEquals("[72, 73, 74, 75, 76, 77, 78, 79]", java.util.Arrays.toString(runs[0]));
        assertEquals("[100, 101, 102, 103, 104, 105, 106, 107]", java.util.Arrays.toString(runs[1]));
        for (int[] run : runs) {
            for (int k : run) {
                assertTrue(HeldOutSlab.CH2.excludes(k) && (k < HeldOutSlab.CH2.firstSlice() || k >= HeldOutSlab.CH2.endSlice()), "slice " + k);
            }
        }
    }
}
