package io.scanenhancer.cli;

import io.scanenhancer.diffusion.Formulation;
import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.SamplerSettings;
import io.scanenhancer.diffusion.SuperResolutionPipeline;
import io.scanenhancer.training.TrainingLoop;
import io.scanenhancer.training.TrainingRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train}'s v3 options end to end on tiny networks: recorded in config.json, kept by a resume (and a change
 * refused), and the snapshots load for inference with the recorded input channels and target.
 */
class TrainCommandOptionsTest {

    private static int train(Path out, String... more) {
        List<String> argv = new ArrayList<>(List.of("--out", out.toString(), "--channels", "8,16,16", "--batch", "2",
                "--patch", "16", "--snapshot-every", "2", "--max-minutes", "10"));
        argv.addAll(Arrays.asList(more));
        return TrainCommand.run(argv.toArray(String[]::new));
    }

    private static Object detail(Path out, String key) throws IOException {
        return ModelConfig.read(out.resolve("config.json")).training().details().get(key);
    }

    @Test
    void aV3RecipeIsRecordedKeptOnResumeAndLoadsForInference(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out, "--steps", "2", "--degradation", "mixed", "--degradation-conditioning", "channel",
                "--contrast-mix", "0.50", "--augment", "gamma,flip", "--loss", "l1", "--target", "direct"));
        Map<String, String> expected = Map.of("degradation", "mixed", "degradation-conditioning", "channel",
                "contrast-mix", "0.5", "augment", "flip,gamma", "loss", "l1", "target", "direct");
        assertEquals(expected, detail(out, TrainingRecipe.DETAILS_KEY));
        ModelConfig recorded = ModelConfig.read(out.resolve("config.json"));
        assertEquals(new Formulation(Formulation.DegradationConditioning.CHANNEL, Formulation.Target.DIRECT), recorded.formulation());

        assertEquals(0, train(out, "--steps", "4"), "a resume without the options keeps them");
        assertEquals(4, ((Number) detail(out, "stepsDone")).intValue());
        assertEquals(expected, detail(out, TrainingRecipe.DETAILS_KEY));
        assertEquals(0, train(out, "--steps", "5", "--loss", "l1"), "repeating a recorded value is no change");
        assertEquals(2, train(out, "--steps", "6", "--degradation", "area"), "a resume refuses another recipe");
        assertEquals(5, ((Number) detail(out, "stepsDone")).intValue());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingRecipe.recorded(recorded)
                .resumedWith(TrainingRecipe.V2, name -> name.equals("target")));
        assertTrue(e.getMessage().contains("--target residual") && e.getMessage().contains("--target direct"), e.getMessage());

        ModelConfig config = ModelConfig.read(out.resolve("config.json"));
        Path snapshots = out.resolve("snapshots");
        try (PretrainedModel regression = PretrainedModel.load(config, snapshots.resolve(TrainingLoop.snapshotName("regression", 4)), false);
             PretrainedModel diffusion = PretrainedModel.load(config, snapshots.resolve(TrainingLoop.snapshotName("diffusion", 4)), false)) {
            float[] lowRes = new float[16 * 16];
            for (int p = 0; p < lowRes.length; p++) {
                lowRes[p] = (p % 16) * 10 + (p / 16);
            }
            SuperResolutionPipeline pipeline = new SuperResolutionPipeline(diffusion, regression);
            for (SamplerSettings s : List.of(new SamplerSettings("regression", 1, 1, 0), new SamplerSettings("ddim", 2, 1, 0, 0.5))) {
                float[] up = (s.sampler().equals("regression") ? new SuperResolutionPipeline(regression) : pipeline)
                        .upscale(lowRes, 16, 16, s).mean();
                assertEquals(32 * 32, up.length);
                for (float v : up) {
                    assertTrue(Float.isFinite(v), s.sampler());
                }
            }
        }
    }

    @Test
    void theDefaultsRecordV2sRecipe(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out, "--steps", "1"));
        assertEquals(TrainingRecipe.V2.options(), detail(out, TrainingRecipe.DETAILS_KEY));
        assertEquals(Formulation.V2, Formulation.of(ModelConfig.read(out.resolve("config.json"))));
        assertEquals(2, TrainCommand.run(new String[] {"--degradation", "sinc"}), "an unknown choice is a usage error");
        assertEquals(2, TrainCommand.run(new String[] {"--out", dir.resolve("x").toString(), "--augment", "jitter"}));
    }
}
