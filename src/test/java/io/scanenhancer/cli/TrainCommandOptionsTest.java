package io.scanenhancer.cli;

import io.scanenhancer.diffusion.Formulation;
import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.SamplerSettings;
import io.scanenhancer.diffusion.SuperResolutionPipeline;
import io.scanenhancer.training.RunOptions;
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
    void aResumeRunsTheLoopItStartedWith(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out, "--steps", "2", "--learning-rate", "1e-3", "--seed", "7"));
        assertEquals(Map.of("steps", "2", "batch", "2", "patch", "16", "learning-rate", "0.001", "seed", "7",
                "channels", "8,16,16", "model-version", "2"), detail(out, RunOptions.DETAILS_KEY));

        // left off: the recorded values, not the defaults (steps 20000, batch 16, patch 64, widths 32,64,128)
        Args bare = TrainCommand.resumed(TrainCommand.OPTIONS.parse("--out", out.toString()), out);
        assertEquals(List.of(2, 2, 16, 7L, "0.001", "8,16,16"), List.of(bare.getInt("steps"), bare.getInt("batch"),
                bare.getInt("patch"), bare.getLong("seed"), Double.toString(bare.getDouble("learning-rate")), bare.get("channels")));
        assertEquals(0, TrainCommand.run(new String[] {"--out", out.toString(), "--max-minutes", "10"}),
                "a resume with no loop options runs the recorded loop");
        assertEquals(2, ((Number) detail(out, "stepsDone")).intValue());

        assertEquals(0, train(out, "--steps", "3", "--learning-rate", "0.0010"), "the same value spelled otherwise; --steps may move");
        assertEquals(3, ((Number) detail(out, "stepsDone")).intValue());
        assertEquals("3", ((Map<?, ?>) detail(out, RunOptions.DETAILS_KEY)).get("steps"), "the new end is recorded");
        for (String[] change : List.of(new String[] {"--patch", "32"}, new String[] {"--batch", "4"},
                new String[] {"--learning-rate", "3e-4"}, new String[] {"--seed", "8"}, new String[] {"--init-from", out.toString()})) {
            List<String> argv = new ArrayList<>(List.of("--out", out.toString(), "--steps", "4"));
            argv.addAll(List.of(change));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrainCommand.resumed(TrainCommand.OPTIONS.parse(argv.toArray(String[]::new)), out));
            assertTrue(e.getMessage().startsWith(change[0] + " ") && e.getMessage().contains("started with"), e.getMessage());
            assertEquals(2, TrainCommand.run(argv.toArray(String[]::new)), "refused: " + argv);
        }
        assertEquals(3, ((Number) detail(out, "stepsDone")).intValue(), "a refused resume trains nothing");
    }

    @Test
    void aConfigFromBeforeTheLoopOptionsWereRecordedKeepsWhatItSays() {
        ModelConfig legacy = new ModelConfig("sr3-mri-t1", "4", 2, new int[] {32, 64, 128}, "v", "cosine", 1000, 1f,
                null, null, null, new ModelConfig.Training(Map.of("batch", 16, "patch", 96, "seed", 20261125L)), null, null, null, null, null, null);
        RunOptions.Recorded recorded = RunOptions.recorded(legacy);
        assertEquals(false, recorded.complete());
        Map<String, String> resumed = recorded.resumedWith(Map.of("steps", "6000", "batch", "16", "patch", "64",
                "learning-rate", "1.0E-4", "seed", "20261125", "channels", "32,64,128", "model-version", "2"), name -> name.equals("steps"));
        assertEquals("96", resumed.get("patch"), "adopted");
        assertEquals("4", resumed.get("model-version"));
        assertEquals("6000", resumed.get("steps"), "unknown before: the command line's");
        assertEquals("1.0E-4", resumed.get("learning-rate"));
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

    @Test
    void initFromStartsBothNetworksFromAModelFolderAndKeepsItsResidualScale(@TempDir Path dir) throws IOException {
        Path first = dir.resolve("first");
        assertEquals(0, train(first, "--steps", "4", "--seed", "5", "--learning-rate", "0.003"));
        ModelConfig trained = ModelConfig.read(first.resolve("config.json"));
        Path folder = dir.resolve("model");
        java.nio.file.Files.createDirectories(folder);
        java.nio.file.Files.copy(first.resolve("snapshots").resolve(TrainingLoop.snapshotName("diffusion", 4)), folder.resolve("weights.params"));
        java.nio.file.Files.copy(first.resolve("snapshots").resolve(TrainingLoop.snapshotName("regression", 4)), folder.resolve("baseline-regression.params"));
        trained.withWeights("weights.params", "ab".repeat(32)).withPrior("baseline-regression.params", "cd".repeat(32))
                .write(folder.resolve("config.json"));

        // learning rate 0: the warm-started networks keep the folder's weights, a fresh start keeps its initialisation
        Path warm = dir.resolve("warm"), fresh = dir.resolve("fresh");
        assertEquals(0, train(warm, "--steps", "2", "--seed", "9", "--learning-rate", "0", "--init-from", folder.toString()));
        assertEquals(0, train(fresh, "--steps", "2", "--seed", "9", "--learning-rate", "0"));
        ModelConfig warmConfig = ModelConfig.read(warm.resolve("config.json"));
        assertEquals(trained.residualScale(), warmConfig.residualScale(), "the folder's residual scale, not a new estimate");
        assertTrue(String.valueOf(detail(warm, "initialisedFrom")).contains("diffusion weights sha256 abababababab"), String.valueOf(detail(warm, "initialisedFrom")));

        float[] expected = regressionOutput(folder.resolve("config.json"), folder.resolve("baseline-regression.params"));
        float[] warmOut = regressionOutput(warm.resolve("config.json"), warm.resolve("snapshots").resolve(TrainingLoop.snapshotName("regression", 2)));
        float[] freshOut = regressionOutput(warm.resolve("config.json"), fresh.resolve("snapshots").resolve(TrainingLoop.snapshotName("regression", 2)));
        double warmGap = 0, freshGap = 0, scale = 0;
        for (int p = 0; p < expected.length; p++) {
            warmGap = Math.max(warmGap, Math.abs(warmOut[p] - expected[p]));
            freshGap = Math.max(freshGap, Math.abs(freshOut[p] - expected[p]));
            scale = Math.max(scale, Math.abs(expected[p]));
        }
        assertTrue(warmGap <= 1e-4 * scale, "warm start reproduces the folder's prior: " + warmGap + " of " + scale);
        assertTrue(freshGap > 100 * warmGap, "a fresh start differs: " + freshGap + " against " + warmGap);

        assertEquals(2, train(dir.resolve("wide"), "--steps", "1", "--channels", "8,16,32", "--init-from", folder.toString()),
                "widths that do not fit the folder's weights are refused");
        assertEquals(2, train(dir.resolve("none"), "--steps", "1", "--init-from", dir.resolve("absent").toString()));
    }

    private static float[] regressionOutput(Path configFile, Path weights) throws IOException {
        try (PretrainedModel regression = PretrainedModel.load(ModelConfig.read(configFile), weights, false)) {
            float[] lowRes = new float[16 * 16];
            for (int p = 0; p < lowRes.length; p++) {
                lowRes[p] = (p % 16) * 10 + (p / 16);
            }
            return new SuperResolutionPipeline(regression).upscale(lowRes, 16, 16, new SamplerSettings("regression", 1, 1, 0)).mean();
        }
    }
}
