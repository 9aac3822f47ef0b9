package io.scanenhancer.diffusion;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An image's result does not depend on the batch it is enhanced in: the service batches slices across series, and
 * the derived UIDs (which do not name the batch) must keep naming the same pixels.
 */
class BatchInvarianceTest {

    static float[] image(long seed, int n) {
        Random r = new Random(seed);
        float[] px = new float[n];
        for (int i = 0; i < n; i++) {
            px[i] = 100 + 800 * r.nextFloat();
        }
        return px;
    }

    /** Shipped weights: the tiny test networks (TinyModels) give NaN, which would compare equal to NaN. */
    @Test
    void aloneOrSecondInABatchTheSameImageComesOutTheSame() throws IOException {
        Path dir = ModelRoutes.memberFor(io.scanenhancer.enhance.Enhancers.defaultModelDir(), "area"); // the box inputs' networks
        int h = 16, w = 16;
        float[] a = image(1, h * w), b = image(2, h * w);
        try (PretrainedModel m = PretrainedModel.load(dir); PretrainedModel prior = PretrainedModel.loadPrior(dir)) {
            SuperResolutionPipeline p = new SuperResolutionPipeline(m, prior);
            for (SamplerSettings s : new SamplerSettings[] {new SamplerSettings("ddim", 3, 3, 7), new SamplerSettings("ddpm", 4, 2, 8),
                    new SamplerSettings("ddim", 1, 2, 9, 0.05)}) {
                SuperResolutionPipeline.Result alone = p.upscale(b, h, w, s);
                SuperResolutionPipeline.Result batched = p.upscaleAll(List.of(a, b), h, w, s).get(1);
                for (float v : alone.mean()) {
                    assertTrue(Float.isFinite(v), s + ": the output holds " + v);
                }
                // bit for bit: the timestep MLP runs on one shared row and a lone small image goes in twice, so libtorch
                // sums in the same order whatever the batch (InferenceScope, SuperResolutionPipeline.run)
                assertArrayEquals(alone.mean(), batched.mean(), s + ": mean");
                assertArrayEquals(alone.spread(), batched.spread(), s + ": spread");
            }
        }
    }
}
