package io.scanenhancer.image;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoiseEstimateTest {

    private static FloatImage ramp(int size, double noiseSd, long seed) {
        Random random = new Random(seed);
        float[] p = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                p[y * size + x] = (float) (0.5 * x + 0.25 * y + 100 + noiseSd * random.nextGaussian());
            }
        }
        return new FloatImage(size, size, p);
    }

    @Test
    void findsTheNoiseOfAPlaneWithinAFewPercent() {
        for (double sd : new double[] {1, 5, 20}) {
            assertEquals(sd, NoiseEstimate.sd(ramp(128, sd, 7)), 0.03 * sd, "sd " + sd);
        }
    }

    @Test
    void aNoiselessPlaneHasNone() {
        assertTrue(NoiseEstimate.sd(ramp(64, 0, 1)) < 1e-3);
        assertEquals(0, NoiseEstimate.sd(new FloatImage(2, 2, new float[4])));
    }

    @Test
    void theRobustEstimateFindsTheNoiseAndBarelyMovesAtEdges() {
        for (double sd : new double[] {1, 5, 20}) {
            assertEquals(sd, NoiseEstimate.robustSd(ramp(128, sd, 7)), 0.05 * sd, "sd " + sd);
        }
        // noise of sd 2 on squares of 0 and 200: the edges are a tenth of the pixels
        int n = 128;
        Random random = new Random(3);
        float[] p = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                p[y * n + x] = (float) (((x / 20 + y / 20) % 2 == 0 ? 0 : 200) + 2 * random.nextGaussian());
            }
        }
        FloatImage squares = new FloatImage(n, n, p);
        double robust = NoiseEstimate.robustSd(squares), mean = NoiseEstimate.sd(squares);
        assertEquals(2, robust, 0.3, "robust: " + robust);
        assertTrue(mean > 1.3 * robust, "the mean absolute response takes part of the edges for noise: " + mean + " against " + robust);
        assertEquals(0, NoiseEstimate.robustSd(new FloatImage(2, 2, new float[4])));
    }

    @Test
    void theSelectionMedianIsTheSortedMedianForOddEvenAndTiedSamples() {
        Random random = new Random(5);
        for (int n : new int[] {1, 2, 3, 10, 101, 1000, 4097}) {
            for (int levels : new int[] {3, 1000}) {
                float[] values = new float[n];
                for (int i = 0; i < n; i++) {
                    values[i] = random.nextInt(levels) * 0.5f; // few levels: many ties
                }
                float[] sorted = values.clone();
                java.util.Arrays.sort(sorted);
                double expected = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
                assertEquals(expected, NoiseEstimate.median(values), 0.0, "n " + n + ", levels " + levels);
            }
        }
    }
}
