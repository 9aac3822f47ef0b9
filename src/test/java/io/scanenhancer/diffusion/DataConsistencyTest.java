package io.scanenhancer.diffusion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whatever the network does, the box average of every output reproduces the input. */
class DataConsistencyTest {

    @Test
    void degradingTheOutputGivesBackTheInput(@TempDir Path dir) throws IOException {
        TinyModels.ship(dir, 2);
        // odd size and MR-like units: padding and normalisation are exercised too
        int h = 21, w = 14;
        float[] lr = new float[h * w];
        Random r = new Random(5);
        for (int i = 0; i < lr.length; i++) {
            lr[i] = 300 + 900 * r.nextFloat();
        }
        try (PretrainedModel m = PretrainedModel.load(dir); PretrainedModel prior = PretrainedModel.load(dir)) {
            // the same tiny network stands in for the regression prior: what matters here is the projection
            SuperResolutionPipeline p = new SuperResolutionPipeline(m, prior);
            for (SamplerSettings s : new SamplerSettings[] {
                    new SamplerSettings("ddim", 1, 1, 0), new SamplerSettings("ddim", 4, 3, 1), new SamplerSettings("ddpm", 5, 1, 2),
                    new SamplerSettings("ddim", 2, 2, 3, 0.2), new SamplerSettings("regression", 1, 1, 0)}) {
                SuperResolutionPipeline.Result out = p.upscale(lr, h, w, s);
                double worst = 0;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int W = 2 * w;
                        double mean = (out.mean()[2 * y * W + 2 * x] + out.mean()[2 * y * W + 2 * x + 1]
                                + out.mean()[(2 * y + 1) * W + 2 * x] + out.mean()[(2 * y + 1) * W + 2 * x + 1]) / 4;
                        worst = Math.max(worst, Math.abs(mean - lr[y * w + x]));
                    }
                }
                assertTrue(worst < 1e-3 * 900, s + ": box(output) differs from the input by " + worst);
                if (s.samples() > 1) {
                    assertNotNull(out.spread(), "several samples give a spread");
                    assertEquals(out.mean().length, out.spread().length);
                }
            }
        }
    }
}
