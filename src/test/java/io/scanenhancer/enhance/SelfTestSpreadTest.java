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
    void aSelfTestOutputOfAnotherSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SelfTestSpread.of(ramp(16, 16), ramp(8, 8), 0));
    }
}
