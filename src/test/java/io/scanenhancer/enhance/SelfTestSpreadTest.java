package io.scanenhancer.enhance;

import io.scanenhancer.image.FloatImage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The self-test spread is the self-test's absolute error, enlarged to the output grid where it was made. */
class SelfTestSpreadTest {

    private static FloatImage ramp(int h, int w) {
        float[] px = new float[h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = 100 + i % w + 3 * (i / w);
        }
        return new FloatImage(h, w, px);
    }

    @Test
    void aPerfectSelfTestPredictsNoErrorAndAnOddInputGetsTheFullOutputGrid() {
        FloatImage input = ramp(17, 21);
        FloatImage spread = SelfTestSpread.of(input, input.croppedToEven(), 2.0);
        assertEquals(34, spread.height());
        assertEquals(42, spread.width());
        for (float v : spread.pixels()) {
            assertEquals(0f, v, 1e-4f);
        }
    }

    @Test
    void anErrorOneScaleDownIsPredictedAtTheSamePlaceOneScaleUpAndNeverNegative() {
        FloatImage input = ramp(32, 32);
        float[] test = input.pixels().clone();
        test[10 * 32 + 20] += 50; // the model missed one pixel by 50, and another by -30
        test[25 * 32 + 5] -= 30;
        FloatImage spread = SelfTestSpread.of(input, new FloatImage(32, 32, test), 0);
        int peak = 0;
        for (int i = 0; i < spread.pixels().length; i++) {
            assertTrue(spread.pixels()[i] >= 0);
            if (spread.pixels()[i] > spread.pixels()[peak]) {
                peak = i;
            }
        }
        assertEquals(10, peak / 64 / 2, "the peak's output row covers input row 10");
        assertEquals(20, peak % 64 / 2, "the peak's output column covers input column 20");
        assertTrue(spread.at(2 * 25, 2 * 5) > 20, "the second miss is predicted as an error of about 30: " + spread.at(50, 10));
        FloatImage smooth = SelfTestSpread.of(input, new FloatImage(32, 32, test), 2.0);
        assertTrue(smooth.at(2 * 10, 2 * 20) < spread.at(2 * 10, 2 * 20) && smooth.at(2 * 10, 2 * 20 + 4) > spread.at(2 * 10, 2 * 20 + 4),
                "smoothing spreads the peak");
    }

    @Test
    void weighedByTheOutputsGradientTheSpreadIsTheGeometricMeanAndVanishesOnAFlatOutput() {
        FloatImage input = ramp(32, 32);
        float[] test = input.pixels().clone();
        for (int i = 0; i < test.length; i++) {
            test[i] += 4; // the same error of 4 everywhere one scale down
        }
        FloatImage selfTest = new FloatImage(32, 32, test);
        float[] flat = new float[64 * 64];
        java.util.Arrays.fill(flat, 7f);
        float[] edge = flat.clone();
        for (int i = 0; i < edge.length; i++) {
            edge[i] = i % 64 < 32 ? 0f : 100f; // a vertical step in the middle of the output
        }
        io.scanenhancer.image.SpreadMethod weighed = io.scanenhancer.image.SpreadMethod.selfTest(0).withGradientBlur(1.0);
        for (float v : SelfTestSpread.of(input, selfTest, new FloatImage(64, 64, flat), weighed).pixels()) {
            assertEquals(0f, v, 1e-4f, "no edge in the output: nothing to get wrong");
        }
        FloatImage atEdge = SelfTestSpread.of(input, selfTest, new FloatImage(64, 64, edge), weighed);
        float[] gradient = io.scanenhancer.image.GaussianFilter.blur(io.scanenhancer.image.GradientMagnitude.of(edge, 64, 64), 64, 64, 1.0);
        int at = 30 * 64 + 32;
        assertEquals(Math.sqrt(4 * gradient[at]), atEdge.pixels()[at], 1e-3, "the geometric mean of the error map and the smoothed gradient");
        assertTrue(atEdge.pixels()[at] > 10 && atEdge.pixels()[30 * 64 + 5] < 1e-3, "large at the step, nothing far from it");
        java.util.Random r = new java.util.Random(3);
        float[] noisy = input.pixels().clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (5 * r.nextGaussian());
        }
        FloatImage noisyInput = new FloatImage(32, 32, noisy);
        FloatImage floored = SelfTestSpread.of(noisyInput, selfTest, new FloatImage(64, 64, flat),
                new io.scanenhancer.image.SpreadMethod("self-test", 0, 2.0, 1.0));
        double floor = 2.0 * io.scanenhancer.image.NoiseEstimate.sd(noisyInput);
        assertTrue(floor > 1, "a noise sd of about 5: " + floor);
        assertEquals(floor, floored.pixels()[0], 1e-3, "on a flat output only the floor, added after the weighing");
        assertThrows(IllegalArgumentException.class, () -> SelfTestSpread.of(input, selfTest, new FloatImage(32, 32, new float[32 * 32]), weighed));
    }

    @Test
    void aSelfTestOutputOfAnotherSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SelfTestSpread.of(ramp(16, 16), ramp(8, 8), 0));
    }
}
