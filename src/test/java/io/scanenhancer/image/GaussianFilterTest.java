package io.scanenhancer.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianFilterTest {

    @Test
    void aPixelsSelfWeightIsWhatTheBlurOfADeltaThereLeavesOnIt() {
        int rows = 9, columns = 23;
        double sigma = 2;
        double[] wy = GaussianFilter.selfWeights(rows, sigma), wx = GaussianFilter.selfWeights(columns, sigma);
        for (int y : new int[] {0, 1, 4, 8}) {
            for (int x : new int[] {0, 3, 11, 22}) {
                float[] delta = new float[rows * columns];
                delta[y * columns + x] = 1f;
                float[] blurred = GaussianFilter.blur(delta, rows, columns, sigma);
                assertEquals(blurred[y * columns + x], wy[y] * wx[x], 1e-6, "pixel " + y + ", " + x);
            }
        }
        assertTrue(wx[0] > wx[11], "the replicated border folds taps onto the edge pixel");
        assertEquals(1 / (Math.sqrt(2 * Math.PI) * sigma), wx[11], 2e-3, "inside, the sampled Gaussian's centre");
    }
}
