package io.scanenhancer.cli;

import io.scanenhancer.diffusion.RendererConfig;
import io.scanenhancer.synthesis.DiffusionLabelRenderer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code train-renderer} with no recipe options trains what was shipped, so the README's command reproduces it. */
class TrainRendererCommandTest {
    @Test
    void theDefaultsAreTheShippedRenderersRecipe() throws Exception {
        RendererConfig shipped = RendererConfig.read(DiffusionLabelRenderer.DEFAULT_MODEL.resolve("config.json"));
        Args defaults = TrainRendererCommand.OPTIONS.parse("--out", "target/unused");
        assertEquals(shipped.neighbours(), Integer.parseInt(defaults.get("neighbours")), "2.5-D, chosen on the validation planes");
        assertEquals(shipped.sampling().steps(), defaults.getInt("sampling-steps"), "25 DDIM steps, chosen on the validation planes");
        assertEquals(shipped.patch(), defaults.getInt("patch"));
        assertArrayEquals(shipped.channels(), defaults.getInts("channels"), Arrays.toString(shipped.channels()));
        assertEquals(((Number) shipped.training().get("batch")).intValue(), defaults.getInt("batch"));
        assertEquals(((Number) shipped.training().get("seed")).longValue(), defaults.getLong("seed"));
        assertEquals(((Number) shipped.training().get("stepsDone")).intValue(), defaults.getInt("steps"));
        assertEquals(shipped.version(), defaults.get("model-version"));
        assertEquals(shipped.sampling().noiseTurnMm(), TrainRendererCommand.noiseTurnMm(defaults.get("noise-turn-mm")), "3 mm, chosen on the validation planes");
        assertEquals(null, TrainRendererCommand.noiseTurnMm("none"));
        org.junit.jupiter.api.Assertions.assertThrows(Args.UsageException.class, () -> TrainRendererCommand.noiseTurnMm("0"));
    }
}
