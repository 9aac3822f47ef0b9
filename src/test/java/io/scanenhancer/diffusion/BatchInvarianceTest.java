package io.scanenhancer.diffusion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

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

    @Test
    void aloneOrSecondInABatchTheSameImageComesOutTheSame(@TempDir Path dir) throws IOException {
        TinyModels.ship(dir, 2);
        int h = 16, w = 16;
        float[] a = image(1, h * w), b = image(2, h * w);
        try (PretrainedModel m = PretrainedModel.load(dir); PretrainedModel prior = PretrainedModel.load(dir)) {
            SuperResolutionPipeline p = new SuperResolutionPipeline(m, prior);
            for (SamplerSettings s : new SamplerSettings[] {new SamplerSettings("ddim", 3, 3, 7), new SamplerSettings("ddpm", 4, 2, 8),
                    new SamplerSettings("ddim", 1, 2, 9, 0.05)}) {
                SuperResolutionPipeline.Result alone = p.upscale(b, h, w, s);
                SuperResolutionPipeline.Result batched = p.upscaleAll(List.of(a, b), h, w, s).get(1);
                double worst = 0, worstSpread = 0, scale = 0;
                for (int i = 0; i < alone.mean().length; i++) {
                    worst = Math.max(worst, Math.abs(alone.mean()[i] - batched.mean()[i]));
                    worstSpread = Math.max(worstSpread, Math.abs(alone.spread()[i] - batched.spread()[i]));
                    scale = Math.max(scale, Math.abs(alone.mean()[i]));
                }
                // float kernels may sum in another order for another batch size: allow rounding, not other noise
                assertTrue(worst <= 1e-4 * scale, s + ": mean differs by " + worst);
                assertTrue(worstSpread <= 1e-4 * scale, s + ": spread differs by " + worstSpread);
            }
        }
    }
}
