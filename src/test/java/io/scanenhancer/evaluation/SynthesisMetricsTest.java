package io.scanenhancer.evaluation;

import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.image.GaussianFilter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Known answers of the synthesis quality measures, on small made-up images. */
class SynthesisMetricsTest {
    static final int N = 64;

    /** Smooth random texture: white noise blurred by sigma 2 (SD about 28), plus a level. */
    static float[] texture(Random random, double level) {
        float[] w = new float[N * N];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (200 * random.nextGaussian());
        }
        float[] t = GaussianFilter.blur(w, N, N, 2);
        for (int i = 0; i < t.length; i++) {
            t[i] += (float) level;
        }
        return t;
    }

    static List<double[]> gaussianVectors(Random random, int n, int d, double shift) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] v = new double[d];
            for (int k = 0; k < d; k++) {
                v[k] = random.nextGaussian() + shift;
            }
            out.add(v);
        }
        return out;
    }

    @Test
    void kernelDistanceIsZeroInExpectationForOneDistributionNegativeForASetAgainstItselfAndPositiveForAShift() {
        Random random = new Random(1);
        List<double[]> a = gaussianVectors(random, 200, 18, 0), b = gaussianVectors(random, 200, 18, 0),
                c = gaussianVectors(random, 200, 18, 0.5);
        double same = KernelDistance.unbiasedMmd2(a, b), itself = KernelDistance.unbiasedMmd2(a, a), shifted = KernelDistance.unbiasedMmd2(a, c);
        // against itself the cross term includes k(x, x), which the within-set terms leave out: strictly negative
        assertTrue(itself < 0, "set against itself: " + itself);
        assertTrue(Math.abs(same) < 0.05 * shifted, "same distribution " + same + " vs shifted " + shifted);
        assertTrue(shifted > 0.1, "shifted: " + shifted);
        assertEquals(8.0, KernelDistance.kernel(new double[] {1, 1}, new double[] {1, 1}), 1e-12); // (2/2 + 1)^3
    }

    @Test
    void patchFeaturesTellTextureFromItsBlurAndIgnorePatchesOutsideTheMask() {
        Random random = new Random(2);
        float[] img = texture(random, 100);
        boolean[] all = new boolean[N * N], none = new boolean[N * N];
        java.util.Arrays.fill(all, true);
        assertEquals(4, PatchFeatures.of(img, all, N, N).size());
        assertEquals(0, PatchFeatures.of(img, none, N, N).size());
        double[] sharp = PatchFeatures.of(img, all, N, N).get(0), blurred = PatchFeatures.of(GaussianFilter.blur(img, N, N, 2), all, N, N).get(0);
        assertEquals(PatchFeatures.DIMENSIONS, sharp.length);
        assertTrue(blurred[2] < sharp[2], "fine-scale gradient must drop with blur: " + blurred[2] + " vs " + sharp[2]);
        assertEquals(sharp[0], blurred[0], 2, "mean level kept");
    }

    @Test
    void powerRatioIsOneAgainstItselfAndBelowOneForItsBlurAtHighFrequencies() {
        Random random = new Random(3);
        List<float[]> set = List.of(noise(random), noise(random));
        List<boolean[]> masks = Collections.nCopies(2, full());
        PowerSpectrumRatio.Spectrum s = PowerSpectrumRatio.of(set, masks, N, N);
        assertEquals(9 * 2, s.patches()); // 3 x 3 patches of 32 at stride 16 in 64, per slice
        for (double r : PowerSpectrumRatio.ratio(s, s)) {
            assertEquals(1.0, r, 1e-12);
        }
        List<float[]> blurred = set.stream().map(x -> GaussianFilter.blur(x, N, N, 1)).toList();
        double[] r = PowerSpectrumRatio.ratio(PowerSpectrumRatio.of(blurred, masks, N, N), s);
        assertTrue(r[2] < 0.2 && r[2] < r[1] && r[1] < r[0] && r[0] < 1, "blur removes more the higher the band: " + java.util.Arrays.toString(r));
        boolean[] half = full();
        for (int i = 0; i < N * N / 2; i++) {
            half[i] = false;
        }
        assertEquals(3 * 2, PowerSpectrumRatio.of(set, List.of(half, half), N, N).patches()); // only the patches wholly inside
    }

    static float[] noise(Random random) {
        float[] v = new float[N * N];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (100 + 10 * random.nextGaussian());
        }
        return v;
    }

    static boolean[] full() {
        boolean[] m = new boolean[N * N];
        java.util.Arrays.fill(m, true);
        return m;
    }

    @Test
    void diceIsOneForIdenticalMapsAndForAnImageThatShowsItsLabels() {
        byte[] a = {0, 2, 3, 3, 4, 4}, b = {0, 2, 3, 4, 4, 4};
        assertEquals(1.0, LabelFidelity.dice(a, a, 3), 1e-12);
        assertEquals(2.0 * 1 / (2 + 1), LabelFidelity.dice(a, b, 3), 1e-12);
        // a brain of CSF, grey and white in equal parts, imaged at ch2's levels with a little noise: the mixture finds them
        Random random = new Random(4);
        byte[] labels = new byte[N * N];
        float[] image = new float[N * N];
        int[] label = {TissueLabel.CSF.value(), TissueLabel.CORTICAL_GREY_MATTER.value(), TissueLabel.WHITE_MATTER.value()};
        double[] level = {35, 90, 113};
        for (int p = 0; p < labels.length; p++) {
            int c = (p / N) * 3 / N;
            labels[p] = (byte) label[c];
            image[p] = (float) (level[c] + 2 * random.nextGaussian());
        }
        LabelFidelity.Result r = LabelFidelity.of(List.of(image), List.of(labels));
        assertEquals(1.0, r.meanDice(), 1e-3, java.util.Arrays.toString(r.dice()));
        // and the same image with its contrast inverted shows none of them where the labels say
        float[] inverted = image.clone();
        for (int p = 0; p < inverted.length; p++) {
            inverted[p] = 150 - inverted[p];
        }
        assertTrue(LabelFidelity.of(List.of(inverted), List.of(labels)).dice()[0] < 0.01);
    }

    @Test
    void coherenceIsOneForIdenticalSlicesAndNearZeroForIndependentOnes() {
        Random random = new Random(5);
        float[] one = texture(random, 100);
        List<float[]> same = Collections.nCopies(4, one);
        List<boolean[]> masks = Collections.nCopies(4, full());
        assertEquals(1.0, SliceCoherence.adjacent(same, masks, N, N, 1), 1e-9);
        // white noise: independent pixels, so a few hundred of them pin the correlation near 0 (SD about 1/sqrt(n))
        List<float[]> independent = List.of(noise(random), noise(random), noise(random), noise(random));
        assertTrue(Math.abs(SliceCoherence.adjacent(independent, masks, N, N, 1)) < 0.1);
        // the head outline alone (a disc, the same in every slice, with independent texture inside) does not count
        List<float[]> outlined = new ArrayList<>();
        for (float[] t : independent) {
            float[] o = new float[t.length];
            for (int p = 0; p < o.length; p++) {
                int y = p / N - N / 2, x = p % N - N / 2;
                o[p] = x * x + y * y < 25 * 25 ? t[p] : 0;
            }
            outlined.add(o);
        }
        boolean[] inner = new boolean[N * N];
        for (int p = 0; p < inner.length; p++) {
            int y = p / N - N / 2, x = p % N - N / 2;
            inner[p] = x * x + y * y < 15 * 15; // 10 pixels (3.3 sigma) inside the outline
        }
        double r = SliceCoherence.adjacent(outlined, Collections.nCopies(4, inner), N, N, 1);
        assertTrue(Math.abs(r) < 0.15, "outline only: " + r);
    }

    @Test
    void reformatsCutTheStackAcrossItsSlices() {
        List<float[]> slices = List.of(new float[] {1, 2, 3, 4, 5, 6}, new float[] {7, 8, 9, 10, 11, 12}); // 2 rows x 3 columns
        List<float[]> coronal = SliceCoherence.reformat(slices, 2, 3, SliceCoherence.Axis.CORONAL, float[]::new);
        List<float[]> sagittal = SliceCoherence.reformat(slices, 2, 3, SliceCoherence.Axis.SAGITTAL, float[]::new);
        assertEquals(2, coronal.size());
        assertEquals(List.of(1f, 2f, 3f, 7f, 8f, 9f), boxed(coronal.get(0)));
        assertEquals(3, sagittal.size());
        assertEquals(List.of(2f, 5f, 8f, 11f), boxed(sagittal.get(1)));
    }

    static List<Float> boxed(float[] v) {
        List<Float> out = new ArrayList<>();
        for (float x : v) {
            out.add(x);
        }
        return out;
    }

    @Test
    void ssimOfIdenticalSetsIsOneAndOfUnrelatedTexturesFarBelow() {
        Random random = new Random(6);
        List<float[]> a = List.of(texture(random, 100), texture(random, 100));
        assertEquals(1.0, GeneratorQuality.meanMatchedSsim(a, a, N), 1e-9);
        List<float[]> b = List.of(texture(random, 100), texture(random, 100));
        assertTrue(GeneratorQuality.meanMatchedSsim(a, b, N) < 0.5);
    }

    @Test
    void gaussianDerivativesAnswerRampsAndParabolas() {
        float[] ramp = new float[N * N], parabola = new float[N * N];
        for (int p = 0; p < ramp.length; p++) {
            int x = p % N;
            ramp[p] = 3 * x;
            parabola[p] = (x - 32) * (x - 32);
        }
        int centre = 32 * N + 32;
        assertEquals(3, GaussianFilter.derivative(ramp, N, N, 2, 1, 0)[centre], 1e-3);
        assertEquals(0, GaussianFilter.derivative(ramp, N, N, 2, 0, 1)[centre], 1e-3);
        assertEquals(2, GaussianFilter.derivative(parabola, N, N, 2, 2, 0)[centre], 1e-3);
        assertEquals(ramp[centre], GaussianFilter.blur(ramp, N, N, 2)[centre], 1e-3);
    }
}
