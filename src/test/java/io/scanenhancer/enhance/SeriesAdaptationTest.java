package io.scanenhancer.enhance;

import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.PriorAdaptation;
import io.scanenhancer.diffusion.TinyModels;
import io.scanenhancer.image.FloatImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Adapting the prior to a series: pairs from the series alone, bounded, deterministic, and the shipped model untouched. */
class SeriesAdaptationTest {

    private static FloatImage image(int h, int w, long seed) {
        Random r = new Random(seed);
        float[] px = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (float) (500 + 300 * Math.sin(0.3 * x + 0.2 * y) + 40 * r.nextGaussian());
            }
        }
        return new FloatImage(h, w, px);
    }

    /** A tiny shipped model whose prior is its own weights. */
    private static Path model(Path dir) throws IOException {
        TinyModels.ship(dir, 2);
        ModelConfig c = ModelConfig.read(dir.resolve("config.json"));
        Files.copy(dir.resolve("weights.params"), dir.resolve("prior.params"));
        c.withPrior("prior.params", PretrainedModel.sha256(dir.resolve("prior.params"))).write(dir.resolve("config.json"));
        return dir;
    }

    @Test
    void pairsAreTheSeriesDegradedOnceMore() {
        FloatImage odd = image(33, 20, 1);
        List<PriorAdaptation.Pair> area = SeriesAdaptation.pairs(List.of(odd), Degradation.AREA);
        assertEquals(32, area.get(0).height(), "cropped to even");
        assertEquals(16 * 10, area.get(0).input().length);
        assertArrayEquals(BoxDegradation.downscale(KspaceDegradation.croppedToMultiple(odd, 2), 2).pixels(), area.get(0).input());
        PriorAdaptation.Pair k = SeriesAdaptation.pairs(List.of(odd), Degradation.KSPACE).get(0);
        assertArrayEquals(KspaceDegradation.zeroFill(new FloatImage(16, 10, k.input()), 2).pixels(), k.baseline());
    }

    @Test
    void adaptationChangesThePriorDeterministicallyAndLeavesTheModelAlone(@TempDir Path dir) throws IOException {
        Path m = model(dir.resolve("m"));
        List<FloatImage> series = List.of(image(32, 32, 2), image(32, 32, 3));
        FloatImage lr = image(32, 32, 4);
        EnhanceSettings fromPrior = new EnhanceSettings("ddim", 1, 1, 0L, 0.3);
        try (DiffusionEnhancer base = new DiffusionEnhancer(m, false)) {
            float[] before = base.enhance(lr, fromPrior).image().pixels();
            float[] none, once, again;
            try (DiffusionEnhancer zero = base.adaptedTo(series, Degradation.AREA, new PriorAdaptation.Settings(0, 4, 1e-3f, 0))) {
                none = zero.enhance(lr, fromPrior).image().pixels();
            }
            try (DiffusionEnhancer a = base.adaptedTo(series, Degradation.AREA, new PriorAdaptation.Settings(5, 4, 1e-3f, 0))) {
                once = a.enhance(lr, fromPrior).image().pixels();
            }
            try (DiffusionEnhancer a = base.adaptedTo(series, Degradation.AREA, new PriorAdaptation.Settings(5, 4, 1e-3f, 0))) {
                again = a.enhance(lr, fromPrior).image().pixels();
            }
            assertArrayEquals(before, none, "0 steps: the prior as shipped");
            assertFalse(Arrays.equals(before, once), "5 steps at 1e-3 change the prior's estimate");
            assertArrayEquals(once, again, "the same series and seed adapt to the same weights");
            assertArrayEquals(before, base.enhance(lr, fromPrior).image().pixels(), "closing an adapted copy leaves the shipped model working and unchanged");
        }
    }
}
