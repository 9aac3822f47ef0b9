package io.scanenhancer.enhance;

import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.SamplerSettings;
import io.scanenhancer.diffusion.SuperResolutionPipeline;
import io.scanenhancer.diffusion.TinyModels;
import io.scanenhancer.image.FloatImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sampler on k-space inputs: whatever the network does, degrading the output the way the input was made gives the
 * input back (k-space data consistency on the unpadded region), and the condition is the zero-filled image.
 */
class KspaceSamplingTest {

    /** A smooth positive 2h x 2w image (MR-like units) and its k-space degradation: its band-limited version stays positive. */
    private static FloatImage lowResolution(int h, int w, long seed) {
        Random r = new Random(seed);
        float[] hr = new float[4 * h * w];
        double fx = 0.1 + 0.2 * r.nextDouble(), fy = 0.1 + 0.2 * r.nextDouble();
        for (int y = 0; y < 2 * h; y++) {
            for (int x = 0; x < 2 * w; x++) {
                hr[y * 2 * w + x] = (float) (700 + 300 * Math.sin(fx * x + 0.4) * Math.cos(fy * y) + 100 * r.nextGaussian());
            }
        }
        return KspaceDegradation.degrade(new FloatImage(2 * h, 2 * w, hr), 2);
    }

    @Test
    void degradingTheOutputInKspaceGivesBackTheInput(@TempDir Path dir) throws IOException {
        TinyModels.ship(dir, 2);
        int h = 21, w = 14;                                   // odd and padded: the projection must act on the own region
        FloatImage lr = lowResolution(h, w, 5);
        try (PretrainedModel m = PretrainedModel.load(dir); PretrainedModel prior = PretrainedModel.load(dir)) {
            SuperResolutionPipeline p = new SuperResolutionPipeline(m, prior, KspaceDegradation.BY_TWO);
            for (SamplerSettings s : new SamplerSettings[] {new SamplerSettings("ddim", 1, 1, 0), new SamplerSettings("ddim", 3, 2, 1),
                    new SamplerSettings("ddpm", 3, 1, 2), new SamplerSettings("ddim", 2, 1, 3, 0.2), new SamplerSettings("regression", 1, 1, 0)}) {
                SuperResolutionPipeline.Result out = p.upscaleAll(List.of(lr.pixels()), h, w, s, 8, Degradation.KSPACE).get(0);
                FloatImage again = KspaceDegradation.degrade(new FloatImage(2 * h, 2 * w, out.mean()), 2);
                double worst = 0;
                for (int i = 0; i < lr.pixels().length; i++) {
                    worst = Math.max(worst, Math.abs(again.pixels()[i] - lr.pixels()[i]));
                }
                assertTrue(worst < 1e-3 * 300, s + ": kspace(output) differs from the input by " + worst);
            }
        }
    }

    @Test
    void aSoftConsistencyKeepsTheNetworksWindowOnNoisyInputsAndTheSelfTestsPipelineDoesNot(@TempDir Path dir) throws IOException {
        TinyModels.ship(dir, 2);
        int h = 16, w = 16;
        FloatImage clean = lowResolution(h, w, 3);
        Random r = new Random(4);
        float[] noisy = clean.pixels().clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (40 * r.nextGaussian());
        }
        SamplerSettings s = new SamplerSettings("ddim", 1, 1, 0);
        float[] hard, soft, selfTest;
        try (PretrainedModel m = PretrainedModel.load(dir)) {
            hard = new SuperResolutionPipeline(m, null, KspaceDegradation.BY_TWO).upscaleAll(List.of(noisy), h, w, s, 8, Degradation.KSPACE).get(0).mean();
        }
        io.scanenhancer.diffusion.ModelConfig config = io.scanenhancer.diffusion.ModelConfig.read(dir.resolve("config.json"));
        config.withSampling(config.sampling().withKspaceEstimateError(0.01)).write(dir.resolve("config.json"));
        try (PretrainedModel m = PretrainedModel.load(dir)) {
            SuperResolutionPipeline p = new SuperResolutionPipeline(m, null, KspaceDegradation.BY_TWO);
            soft = p.upscaleAll(List.of(noisy), h, w, s, 8, Degradation.KSPACE).get(0).mean();
            selfTest = p.withHardConsistency().upscaleAll(List.of(noisy), h, w, s, 8, Degradation.KSPACE).get(0).mean();
        }
        assertTrue(java.util.Arrays.equals(hard, selfTest), "withHardConsistency is the hard projection, whatever tau says");
        FloatImage again = KspaceDegradation.degrade(new FloatImage(2 * h, 2 * w, soft), 2);
        double moved = 0;
        for (int i = 0; i < noisy.length; i++) {
            moved = Math.max(moved, Math.abs(again.pixels()[i] - noisy[i]));
        }
        assertTrue(moved > 10, "the soft projection keeps the network's window on a noisy input: it moved by " + moved);
    }

    @Test
    void theDegradationDecidesTheCondition(@TempDir Path dir) throws IOException {
        TinyModels.ship(dir, 2);
        int h = 16, w = 16;
        FloatImage lr = lowResolution(h, w, 9);
        SamplerSettings regression = new SamplerSettings("regression", 1, 1, 0);
        try (PretrainedModel m = PretrainedModel.load(dir)) {
            SuperResolutionPipeline p = new SuperResolutionPipeline(m, null, KspaceDegradation.BY_TWO);
            float[] area = p.upscaleAll(List.of(lr.pixels()), h, w, regression, 8, Degradation.AREA).get(0).mean();
            float[] kspace = p.upscaleAll(List.of(lr.pixels()), h, w, regression, 8, Degradation.KSPACE).get(0).mean();
            double differ = 0;
            for (int i = 0; i < area.length; i++) {
                differ = Math.max(differ, Math.abs(area[i] - kspace[i]));
            }
            assertTrue(differ > 1, "area and kspace inputs are answered alike (max difference " + differ + ")");
            // the pipeline without a k-space operator refuses kspace inputs instead of treating them as box averages
            SuperResolutionPipeline areaOnly = new SuperResolutionPipeline(m);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> areaOnly.upscaleAll(List.of(lr.pixels()), h, w, regression, 8, Degradation.KSPACE));
            assertTrue(e.getMessage().contains("k-space operator"), e.getMessage());
            assertEquals(4 * h * w, area.length);
        }
    }
}
