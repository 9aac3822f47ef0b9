package io.scanenhancer.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Sobel magnitude gives a ramp's slope inside and half of it on the border, where the edge pixel repeats. */
class GradientMagnitudeTest {

    @Test
    void aRampGivesItsSlopeAndAConstantNothing() {
        int h = 6, w = 7;
        float[] ramp = new float[h * w], constant = new float[h * w];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = 3 * (i % w) + 4 * (i / w); // slope 3 across, 4 down: magnitude 5
            constant[i] = 42;
        }
        float[] g = GradientMagnitude.of(ramp, h, w);
        assertEquals(5f, g[2 * w + 3], 1e-5f);
        assertEquals(Math.hypot(1.5, 4), g[2 * w], 1e-5, "on the left border the difference spans one pixel, not two");
        for (float v : GradientMagnitude.of(constant, h, w)) {
            assertEquals(0f, v);
        }
        assertThrows(IllegalArgumentException.class, () -> GradientMagnitude.of(ramp, w, w));
    }
}
