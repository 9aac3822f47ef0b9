package io.scanenhancer.training;

import io.scanenhancer.diffusion.ModelConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A run's config says which inputs its pairs were made with: the service and the snapshot selection read it. */
class TrainedDegradationsTest {

    private static TrainingRecipe recipe(String degradation) {
        Map<String, String> options = new java.util.HashMap<>();
        TrainingRecipe.V2.options().forEach((k, v) -> options.put(k, String.valueOf(v)));
        options.put("degradation", degradation);
        return TrainingRecipe.of(options);
    }

    @Test
    void theConfigNamesTheDegradationsOfThePairs() {
        assertNull(SuperResolutionTraining.trainedDegradations(TrainingRecipe.V2), "v2's recipe keeps v2's config (read as area)");
        assertEquals(List.of("kspace"), SuperResolutionTraining.trainedDegradations(recipe("kspace")));
        assertEquals(List.of("area", "kspace"), SuperResolutionTraining.trainedDegradations(recipe("mixed")));
        ModelConfig v2Like = SuperResolutionTraining.initialConfig("3", new int[] {8, 16, 16}, 2f, java.nio.file.Path.of("ch2.nii.gz"),
                16, 64, 0, io.scanenhancer.diffusion.LearningRateSchedule.constant(1e-4f), TrainingRecipe.V2);
        assertEquals(List.of("area"), v2Like.trainedDegradations());
    }
}
