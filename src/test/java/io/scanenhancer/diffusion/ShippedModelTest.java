package io.scanenhancer.diffusion;

import io.scanenhancer.enhance.Bicubic;
import io.scanenhancer.enhance.DiffusionEnhancer;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.enhance.KspaceDegradation;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.evaluation.EvaluationCase;
import io.scanenhancer.evaluation.EvaluationSets;
import io.scanenhancer.evaluation.ImageMetrics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed weights: checksum verified at load, better than bicubic in domain, not worse out of domain; on truncated
 * k-space better than zero-filling in domain, and where it would lose to zero-filling the guard hands that in instead.
 */
class ShippedModelTest {

    private static double gain(DiffusionEnhancer model, EvaluationCase c) {
        return gainOver(model.enhance(c.input(), EnhanceSettings.defaults()).image(), Bicubic.upscale(c.input(), 2), c);
    }

    /** PSNR of {@code output} minus that of {@code baseline}, both against the case's truth. */
    private static double gainOver(FloatImage output, FloatImage baseline, EvaluationCase c) {
        return ImageMetrics.psnr(output, c.truth(), null, c.dataRange()) - ImageMetrics.psnr(baseline, c.truth(), null, c.dataRange());
    }

    @Test
    void shippedModelBeatsBicubicOnHeldOutSlicesAndIsNotWorseOutOfDomain() throws IOException {
        try (DiffusionEnhancer model = new DiffusionEnhancer(Enhancers.defaultModelDir(), true)) {
            assertEquals(64, model.config(Degradation.AREA).weightsSha256().length(), "config.json records the weights' SHA-256");
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

    @Test
    void onBoxInputsTheShippedModelBeatsV2OnEveryOutOfDomainImage() throws IOException {
        try (DiffusionEnhancer model = new DiffusionEnhancer(Enhancers.defaultModelDir(), true);
             DiffusionEnhancer v2 = new DiffusionEnhancer(java.nio.file.Path.of("models/sr3-mri-t1-v2"), true)) {
            for (EvaluationCase c : EvaluationSets.outOfDomain().subList(0, 2)) {
                double g = gain(model, c), g2 = gain(v2, c);
                System.out.printf("%s: %+.2f dB over bicubic, v2 %+.2f dB%n", c.name(), g, g2);
                assertTrue(g > g2, c.name() + ": " + g + " dB, v2 " + g2 + " dB");
            }
        }
    }

    @Test
    void onTruncatedKspaceTheShippedModelBeatsZeroFillingOnHeldOutSlices() throws IOException {
        EnhanceSettings kspace = EnhanceSettings.defaults().withDegradation(Degradation.KSPACE);
        try (DiffusionEnhancer model = new DiffusionEnhancer(Enhancers.defaultModelDir(), true)) {
            for (EvaluationCase c : EvaluationSets.heldOutSlab(10)) {
                FloatImage lowRes = KspaceDegradation.degrade(c.truth(), 2);
                EnhancedImage out = model.enhance(lowRes, kspace);
                double g = gainOver(out.image(), KspaceDegradation.zeroFill(lowRes, 2), c);
                System.out.printf("%s kspace: %+.2f dB over zero-filling%n", c.name(), g);
                assertTrue(!out.fellBack() && g > 0, c.name() + ": " + g + " dB, fell back " + out.fellBack());
            }
        }
    }

    @Test
    void theGuardFallsBackToZeroFillingWhereTheModelWouldLose() throws IOException {
        // white noise has no anatomy to restore: measured, the model's output is about 0.01 dB below zero-filling
        Random random = new Random(7);
        float[] noise = new float[128 * 128];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = 1000 * random.nextFloat();
        }
        FloatImage lowRes = KspaceDegradation.degrade(new FloatImage(128, 128, noise), 2);
        try (DiffusionEnhancer model = new DiffusionEnhancer(Enhancers.defaultModelDir(), true)) {
            EnhancedImage out = model.enhance(lowRes, EnhanceSettings.defaults().withDegradation(Degradation.KSPACE));
            assertTrue(out.fellBack() && out.outOfDistribution(), "the guard replaced the model's output: " + out.method());
            assertArrayEquals(KspaceDegradation.zeroFill(lowRes, 2).pixels(), out.image().pixels(), 1e-3f);
        }
    }
}
