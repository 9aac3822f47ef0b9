package io.scanenhancer.training;

import io.scanenhancer.anatomy.Ch2TissueLabels;
import io.scanenhancer.anatomy.LabelVolume;
import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.diffusion.TrainingBatch;
import io.scanenhancer.enhance.KspaceDegradation;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.volume.HeldOutSlab;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pairs of the v3 recipes are what they claim to be, and none comes from the held-out slab. */
class KspacePairsTest {
    private static final Path CH2 = Path.of(SuperResolutionTraining.DEFAULT_DATA);
    private static final HeldOutSlab SLAB = HeldOutSlab.CH2;
    private static LabelVolume labels;

    @BeforeAll
    static void loadLabels() throws IOException {
        labels = Ch2TissueLabels.load();
    }

    private static MriTrainingData data(PairRecipe.DegradationMix degradation, double contrastMix) throws IOException {
        return MriTrainingData.load(CH2, labels, SLAB, 1, 99,
                new PairRecipe(degradation, contrastMix, EnumSet.allOf(Augmentation.Kind.class)));
    }

    @Test
    void aKspacePairsInputIsTheKspaceDegradationOfItsTargetWithTheDrawnFilterAndNoise() throws IOException {
        MriTrainingData data = data(PairRecipe.DegradationMix.KSPACE, 0);
        Random random = new Random(2);
        Set<KspaceDegradation.Window> windows = new HashSet<>();
        int noisy = 0;
        for (int i = 0; i < 24; i++) {
            MriTrainingData.Pair p = data.nextPair(random, 32);
            PairDegradation.LowResolution low = p.low();
            assertEquals(Degradation.KSPACE, low.degradation());
            FloatImage again = KspaceDegradation.degrade(p.highRes(), 2, low.filter(), low.noiseSigma(), new Random(low.noiseSeed()));
            assertArrayEquals(again.pixels(), low.image().pixels(), "pair " + i + ": the input is not degrade(target)");
            int w = p.highRes().width();
            assertArrayEquals(p.norm().forward(MriTrainingData.crop(p.highRes().pixels(), w, p.y(), p.x(), 32)), p.hr());
            assertArrayEquals(p.norm().forward(MriTrainingData.crop(again.pixels(), w / 2, p.y() / 2, p.x() / 2, 16)), p.lr(),
                    "pair " + i + ": the input patch is not the degraded target's patch");
            float[] zeroFilled = KspaceDegradation.zeroFill(again, 2).pixels();
            assertArrayEquals(p.norm().forward(MriTrainingData.crop(zeroFilled, w, p.y(), p.x(), 32)), p.baseline(),
                    "pair " + i + ": the baseline is not the input's zero-filling");
            windows.add(low.filter().window());
            noisy += low.noiseSigma() > 0 ? 1 : 0;
        }
        assertTrue(windows.size() >= 3, "filters drawn: " + windows);
        assertTrue(noisy >= 4 && noisy <= 20, noisy + " noisy pairs of 24");
    }

    @Test
    void mixedBatchesCarryEachPairsDegradationAndOnlyKspacePairsHaveAZeroFilledBaseline() throws IOException {
        TrainingBatch b = data(PairRecipe.DegradationMix.MIXED, 0).nextBatch(new Random(4), 32, 16);
        int kspace = 0;
        for (int n = 0; n < b.count(); n++) {
            boolean k = b.degradation()[n] == Degradation.KSPACE.code();
            kspace += k ? 1 : 0;
            boolean zeros = true;
            for (int p = 0; p < 16 * 16; p++) {
                zeros &= b.baseline()[n * 256 + p] == 0;
            }
            assertEquals(!k, zeros, "pair " + n);
        }
        assertTrue(kspace >= 8 && kspace <= 24, kspace + " k-space pairs of 32");
        assertNull(data(PairRecipe.DegradationMix.AREA, 0).nextBatch(new Random(4), 2, 16).degradation(), "area batches stay v2's");
    }

    @Test
    void noPairRenderedOrRealComesFromTheHeldOutSlabAndLabelsLieOnTheirImage() throws IOException {
        MriTrainingData data = data(PairRecipe.DegradationMix.MIXED, 0.5);
        for (int k = SLAB.excludedFrom(); k < SLAB.excludedTo(); k++) {
            assertFalse(data.coversAxialSlice(k), "axial slice " + k + " must not be trained on");
        }
        Random random = new Random(6);
        int rendered = 0;
        for (int i = 0; i < 60; i++) {
            MriTrainingData.Pair p = data.nextPair(random, 32);
            TrainingRegion r = p.region();
            assertTrue(r.lastAxialSlice() < SLAB.excludedFrom() || r.firstAxialSlice() >= SLAB.excludedTo(),
                    r.name() + " touches the held-out slab or its margin");
            if (p.rendered()) {
                rendered++;
                // the labels were cut with the image: outside the head (label background) ch2 is exactly 0
                for (int q = 0; q < r.labels().length; q++) {
                    if (r.labels()[q] == TissueLabel.BACKGROUND.value()) {
                        assertEquals(0f, r.pixels()[q], r.name() + " pixel " + q);
                    }
                }
            }
        }
        assertTrue(rendered >= 15 && rendered <= 45, rendered + " rendered pairs of 60 at --contrast-mix 0.5");
    }

    @Test
    void augmentNoneLeavesTheTargetTheSliceItself() throws IOException {
        MriTrainingData data = MriTrainingData.load(CH2, null, SLAB, 1, 99,
                new PairRecipe(PairRecipe.DegradationMix.AREA, 0, EnumSet.noneOf(Augmentation.Kind.class)));
        MriTrainingData.Pair p = data.nextPair(new Random(8), 32);
        TrainingRegion r = p.region();
        int w = r.width() & ~1;
        float[] expected = new float[p.highRes().pixels().length];
        for (int y = 0; y < p.highRes().height(); y++) {
            for (int x = 0; x < w; x++) {
                expected[y * w + x] = r.pixels()[y * r.width() + x] / 255f;
            }
        }
        assertArrayEquals(expected, p.highRes().pixels(), "no dequantisation, orientation or intensity change");
        assertEquals(Set.of(), Augmentation.parse("none"));
        assertEquals("gamma,bias", Augmentation.option(Augmentation.parse("bias,gamma")));
        assertEquals("all", Augmentation.option(Augmentation.parse("all")));
    }
}
