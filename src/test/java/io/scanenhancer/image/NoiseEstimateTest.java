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
}
