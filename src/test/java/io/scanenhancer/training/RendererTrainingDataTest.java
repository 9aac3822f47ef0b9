package io.scanenhancer.training;

import io.scanenhancer.anatomy.Ch2TissueLabels;
import io.scanenhancer.anatomy.LabelVolume;
import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.diffusion.LabelBatch;
import io.scanenhancer.volume.HeldOutSlab;
import io.scanenhancer.volume.NiftiVolume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The renderer's pairs: never the held-out slab or its margin (not even as a neighbour plane), image and labels aligned. */
class RendererTrainingDataTest {
    static final Path CH2 = Path.of(SuperResolutionTraining.DEFAULT_DATA);
    static NiftiVolume t1;
    static LabelVolume labels;

    @BeforeAll
    static void load() throws IOException {
        t1 = NiftiVolume.read(CH2);
        labels = Ch2TissueLabels.load();
    }

    @Test
    void noPairReadsTheHeldOutSlabOrItsMarginEvenAsANeighbourPlane() {
        HeldOutSlab slab = HeldOutSlab.CH2;
        for (int neighbours : new int[] {0, 1}) {
            RendererTrainingData data = RendererTrainingData.of(t1, labels, slab, neighbours);
            for (int k = slab.excludedFrom(); k < slab.excludedTo(); k++) {
                assertFalse(data.reads(k), "slice " + k + " is read with " + neighbours + " neighbour(s)");
            }
            for (int k : data.slices()) {
                for (int d = -neighbours; d <= neighbours; d++) {
                    assertFalse(slab.excludes(k + d), "training slice " + k + " brings plane " + (k + d));
                }
            }
            // the slices next to the margin: a centre there is allowed in 2-D, not in 2.5-D (its neighbour is in the margin)
            boolean has71 = java.util.Arrays.stream(data.slices()).anyMatch(k -> k == slab.excludedFrom() - 1);
            assertEquals(neighbours == 0, has71, "slice " + (slab.excludedFrom() - 1) + " with " + neighbours + " neighbour(s)");
            Random r = new Random(neighbours);
            for (int i = 0; i < 500; i++) {
                RendererTrainingData.Pair p = data.nextPair(r, 64);
                assertTrue(p.slice() - neighbours >= 0 && p.slice() + neighbours < t1.nz());
                for (int d = -neighbours; d <= neighbours; d++) {
                    assertFalse(slab.excludes(p.slice() + d));
                }
            }
        }
    }

    @Test
    void imageAndLabelsOfAPairAreTheSamePixels() {
        RendererTrainingData data = RendererTrainingData.of(t1, labels, HeldOutSlab.CH2, 1);
        Random r = new Random(3);
        double wm = 0, csf = 0;
        long nWm = 0, nCsf = 0;
        int patch = 64, area = patch * patch;
        for (int i = 0; i < 200; i++) {
            RendererTrainingData.Pair p = data.nextPair(r, patch);
            for (int q = 0; q < area; q++) {
                byte centre = p.labels()[area + q]; // planes k-1, k, k+1
                if (centre == TissueLabel.WHITE_MATTER.value()) {
                    wm += p.image()[q];
                    nWm++;
                } else if (centre == TissueLabel.CSF.value()) {
                    csf += p.image()[q];
                    nCsf++;
                }
            }
            // every plane is the label volume at the pair's window (mirrored alike), and the image is ch2 there
            int row = 10, col = 5;
            int sc = p.mirrored() ? p.x() + patch - 1 - col : p.x() + col;
            for (int d = -1; d <= 1; d++) {
                assertEquals(labels.get(sc, p.y() + row, p.slice() + d), p.labels()[(d + 1) * area + row * patch + col]);
            }
            assertEquals(t1.get(sc, p.y() + row, p.slice()) / 127.5f - 1f, p.image()[row * patch + col], 1e-6);
        }
        assertTrue(nWm > 1000 && nCsf > 1000, nWm + " white matter, " + nCsf + " CSF pixels");
        double meanWm = wm / nWm, meanCsf = csf / nCsf;
        assertTrue(meanWm > meanCsf + 0.3, "T1: white matter " + meanWm + " brighter than CSF " + meanCsf);
    }

    @Test
    void aBatchIsInTheDataRangeWithEveryPlane() {
        RendererTrainingData data = RendererTrainingData.of(t1, labels, HeldOutSlab.CH2, 1);
        LabelBatch b = data.nextBatch(new Random(4), 3, 32);
        assertEquals(3, b.planes());
        assertEquals(3 * 32 * 32, b.images().length);
        for (float v : b.images()) {
            assertTrue(v >= -1 && v <= 1);
        }
        for (byte l : b.labels()) {
            assertTrue(l >= 0 && l < TissueLabel.values().length);
        }
        assertThrows(IllegalArgumentException.class, () -> data.nextBatch(new Random(4), 1, 400));
    }

    @Test
    void ch2betterIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RendererTrainingData.load(Path.of("/usr/share/mricron/templates/ch2better.nii.gz"), labels, HeldOutSlab.CH2, 0));
        assertTrue(e.getMessage().contains("ch2better"));
    }
}
