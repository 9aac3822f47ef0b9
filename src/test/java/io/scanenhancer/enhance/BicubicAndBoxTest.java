package io.scanenhancer.enhance;

import io.scanenhancer.image.FloatImage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BicubicAndBoxTest {

    private static FloatImage ramp(int h, int w) {
        float[] p = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p[y * w + x] = 3 * x + 5 * y;
            }
        }
        return new FloatImage(h, w, p);
    }

    @Test
    void bicubicKeepsAConstantImageAndItsMean() {
        FloatImage flat = new FloatImage(6, 7, new float[42]);
        java.util.Arrays.fill(flat.pixels(), 12.5f);
        for (float v : Bicubic.upscale(flat, 2).pixels()) {
            assertEquals(12.5f, v, 1e-5f);
        }
        FloatImage up = Bicubic.upscale(ramp(10, 12), 2);
        assertEquals(20, up.height());
        assertEquals(24, up.width());
    }

    @Test
    void cornerValueMatchesKeysKernelComputedByHand() {
        // output (0,0) sits at input (-0.25, -0.25): taps -2..1 clamp to 0,0,0,1 with weights
        // k(1.75) = -0.03515625, k(0.75) = 0.26171875, k(0.25) = 0.87890625, k(1.25) = -0.10546875 (a = -0.75)
        FloatImage img = new FloatImage(2, 2, new float[] {0, 4, 2, 6});
        double row0 = -0.10546875 * 4, row1 = 2 - 0.10546875 * 4;
        double expected = (1 - -0.10546875) * row0 + -0.10546875 * row1;
        assertEquals(expected, Bicubic.upscale(img, 2).at(0, 0), 1e-5);
    }

    @Test
    void boxAverageOfAKnownImage() {
        FloatImage img = new FloatImage(2, 4, new float[] {1, 3, 10, 20, 5, 7, 30, 40});
        assertArrayEquals(new float[] {4, 25}, BoxDegradation.downscale(img, 2).pixels());
    }

    @Test
    void projectionMakesAnyImageConsistentAndKeepsConsistentOnesUnchanged() {
        FloatImage lr = new FloatImage(2, 2, new float[] {1, 2, 3, 4});
        FloatImage guess = ramp(4, 4);
        FloatImage projected = BoxDegradation.project(guess, lr, 2);
        assertEquals(0, BoxDegradation.consistencyRmse(projected, lr, 2), 1e-6);
        assertArrayEquals(projected.pixels(), BoxDegradation.project(projected, lr, 2).pixels(), 1e-6f);
    }
}
