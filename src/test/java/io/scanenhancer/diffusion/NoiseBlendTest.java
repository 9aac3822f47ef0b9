package io.scanenhancer.diffusion;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NoiseBlendTest {
    private static final int N = 20000;

    @Test
    void oneFieldIsTheSeedsGaussianStreamBitForBitAndTheStreamContinuesAfterIt() {
        float[] out = new float[N];
        Random after = NoiseBlend.of(42).fill(out, 0, N);
        Random reference = new Random(42);
        float[] expected = new float[N];
        for (int i = 0; i < N; i++) {
            expected[i] = (float) reference.nextGaussian();
        }
        assertArrayEquals(expected, out);
        assertEquals(reference.nextGaussian(), after.nextGaussian());
    }

    @Test
    void aBlendIsStandardGaussianAndCorrelatesWithEachFieldAsCosineAndSine() {
        double angle = 0.6;
        float[] a = new float[N], b = new float[N], mix = new float[N];
        NoiseBlend.of(1).fill(a, 0, N);
        NoiseBlend.of(2).fill(b, 0, N);
        new NoiseBlend(1, 2, angle).fill(mix, 0, N);
        double var = 0, ca = 0, cb = 0;
        for (int i = 0; i < N; i++) {
            var += mix[i] * mix[i];
            ca += mix[i] * a[i];
            cb += mix[i] * b[i];
        }
        assertEquals(1, var / N, 0.04);
        assertEquals(Math.cos(angle), ca / N, 0.04);
        assertEquals(Math.sin(angle), cb / N, 0.04);
        float[] quarter = new float[N];
        new NoiseBlend(1, 2, Math.PI / 2).fill(quarter, 0, N);
        assertArrayEquals(b, quarter, 1e-6f, "a quarter turn is the second field");
    }
}
