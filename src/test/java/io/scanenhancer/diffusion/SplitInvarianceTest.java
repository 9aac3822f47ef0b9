package io.scanenhancer.diffusion;

import io.scanenhancer.enhance.Enhancers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory budget splits work into network calls of at most maxRows rows (image x posterior sample): images in
 * calls of their own, one image's samples a few at a time. The output must be the same bit for bit whatever the split,
 * since the derived UIDs name the request, not the split. Shipped weights: the tiny test networks' outputs are NaN.
 */
class SplitInvarianceTest {
    private static PretrainedModel model;
    private static PretrainedModel prior;
    private static SuperResolutionPipeline pipeline;

    @BeforeAll
    static void load() throws IOException {
        Path dir = ModelRoutes.memberFor(Enhancers.defaultModelDir(), "area"); // the box inputs' networks
        model = PretrainedModel.load(dir);
        prior = PretrainedModel.loadPrior(dir);
        pipeline = new SuperResolutionPipeline(model, prior);
    }

    @AfterAll
    static void close() {
        model.close();
        prior.close();
    }

    private static void assertSameWhateverTheSplit(List<float[]> images, int h, int w, SamplerSettings s, int... maxRows) {
        List<SuperResolutionPipeline.Result> whole = pipeline.upscaleAll(images, h, w, s);
        for (SuperResolutionPipeline.Result r : whole) {
            for (float v : r.mean()) {
                assertTrue(Float.isFinite(v), s + ": the output holds " + v);
            }
        }
        for (int rows : maxRows) {
            List<SuperResolutionPipeline.Result> split = pipeline.upscaleAll(images, h, w, s, rows);
            assertEquals(whole.size(), split.size());
            for (int i = 0; i < whole.size(); i++) {
                assertArrayEquals(whole.get(i).mean(), split.get(i).mean(), s + ", " + rows + " rows a call: mean of image " + i);
                if (s.samples() == 1) {
                    assertNull(split.get(i).spread());
                } else {
                    assertArrayEquals(whole.get(i).spread(), split.get(i).spread(), s + ", " + rows + " rows a call: spread of image " + i);
                }
            }
        }
    }

    private static List<float[]> images(int count, int h, int w) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> BatchInvarianceTest.image(10 + i, h * w)).toList();
    }

    @Test
    void everySamplerGivesTheSameBitsInOneCallOrSplit() {
        int h = 40, w = 36;
        List<float[]> images = images(3, h, w);
        ModelConfig.Sampling d = model.config().sampling();
        assertSameWhateverTheSplit(images, h, w, new SamplerSettings(d.sampler(), d.steps(), 4, d.seed(), d.strength()), 1, 5);
        assertSameWhateverTheSplit(images, h, w, new SamplerSettings("ddpm", 2, 2, 8), 3);
        assertSameWhateverTheSplit(images, h, w, new SamplerSettings(d.sampler(), d.steps(), 1, 9, d.strength()), 1);
    }

    @Test
    void aLargerSliceGivesTheSameBitsWithItsSamplesOneByOneOrTogether() {
        int h = 112, w = 96;
        ModelConfig.Sampling d = model.config().sampling();
        assertSameWhateverTheSplit(images(1, h, w), h, w, new SamplerSettings(d.sampler(), d.steps(), 3, d.seed(), d.strength()), 1);
    }
}
