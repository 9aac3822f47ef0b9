package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scanenhancer.enhance.Bicubic;
import io.scanenhancer.enhance.FloatImage;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The model's conditioning (PyTorch bicubic) and the bicubic baseline (plain Java) are the same operator. */
class ConditioningMatchesBaselineTest {

    @Test
    void javaBicubicEqualsPyTorchBicubic() {
        Random r = new Random(2);
        float[] px = new float[9 * 13];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextFloat() * 100;
        }
        float[] java = Bicubic.upscale(new FloatImage(9, 13, px), 2).pixels();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lr = m.create(px, new Shape(1, 1, 9, 13));
            assertArrayEquals(java, SuperResolutionDiffusion.condition(lr).toFloatArray(), 1e-3f);
        }
    }
}
