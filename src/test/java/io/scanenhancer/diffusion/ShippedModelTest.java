package io.scanenhancer.diffusion;

import io.scanenhancer.enhance.Bicubic;
import io.scanenhancer.enhance.DiffusionEnhancer;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.evaluation.EvaluationCase;
import io.scanenhancer.evaluation.EvaluationSets;
import io.scanenhancer.evaluation.ImageMetrics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed weights: checksum verified at load, better than bicubic in domain, not worse out of domain. */
class ShippedModelTest {

    private static double gain(DiffusionEnhancer model, EvaluationCase c) {
        EnhancedImage out = model.enhance(c.input(), EnhanceSettings.defaults());
        return ImageMetrics.psnr(out.image(), c.truth(), null, c.dataRange())
                - ImageMetrics.psnr(Bicubic.upscale(c.input(), 2), c.truth(), null, c.dataRange());
    }

    @Test
    void shippedModelBeatsBicubicOnHeldOutSlicesAndIsNotWorseOutOfDomain() throws IOException {
        try (DiffusionEnhancer model = new DiffusionEnhancer(Enhancers.defaultModelDir(), true)) {
            assertEquals(64, model.config().weightsSha256().length(), "config.json records the weights' SHA-256");
            List<EvaluationCase> slab = EvaluationSets.heldOutSlab(10); // axial 85 and 95
            assertEquals(2, slab.size());
            for (EvaluationCase c : slab) {
                double g = gain(model, c);
                System.out.printf("%s: %+.2f dB over bicubic%n", c.name(), g);
                assertTrue(g > 0, c.name() + ": " + g + " dB");
            }
            List<EvaluationCase> ood = EvaluationSets.outOfDomain().subList(0, 2); // CT_small, MR_small
            for (EvaluationCase c : ood) {
                double g = gain(model, c);
                System.out.printf("%s: %+.2f dB over bicubic%n", c.name(), g);
                assertTrue(g >= 0, c.name() + ": " + g + " dB");
            }
        }
    }
}
