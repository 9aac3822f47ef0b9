package io.scanenhancer.training;

import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.diffusion.LearningRateSchedule;
import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.TrainingBatch;
import io.scanenhancer.enhance.Bicubic;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.volume.HeldOutSlab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The recipe of {@code ./enhancer train}: the run's config (written once, kept on a resume), the residual scale it
 * records, and the refusal of data that must never be trained on. The loop itself is {@link TrainingLoop}'s.
 */
public final class SuperResolutionTraining {
    public static final String DEFAULT_DATA = "/usr/share/mricron/templates/ch2.nii.gz";

    private SuperResolutionTraining() {
    }

    /** ch2better is an upsampled, hard-masked copy of ch2: a network trained on it learns mask edges. */
    public static void requireTrainable(Path data) {
        if (data.getFileName().toString().startsWith("ch2better")) {
            throw new IllegalArgumentException("refusing to train on ch2better: it is an upsampled, hard-masked copy of ch2 (see MODEL_CARD.md)");
        }
    }

    /** The recipe recorded in {@code out}'s config.json (a resume, checked against what was asked), else {@code requested}. */
    public static TrainingRecipe recipe(Path out, TrainingRecipe requested, java.util.function.Predicate<String> given) throws IOException {
        Path file = out.resolve("config.json");
        return Files.exists(file) ? TrainingRecipe.recorded(ModelConfig.read(file)).resumedWith(requested, given) : requested;
    }

    /** The config recorded in {@code out} (a resume), else a new one written there. */
    public static ModelConfig openOrCreate(Path out, MriTrainingData training, Path data, String modelVersion, int[] channels,
                                           int batch, int patch, long seed, LearningRateSchedule lr, TrainingRecipe recipe,
                                           WarmStart warmStart) throws IOException {
        Path file = out.resolve("config.json");
        if (Files.exists(file)) {
            return ModelConfig.read(file);
        }
        float residualScale;
        if (warmStart != null) {
            warmStart.requireCompatible(channels, recipe);
            residualScale = warmStart.config().residualScale();
        } else {
            residualScale = estimateResidualScale(training, new Random(seed), patch);
        }
        ModelConfig config = initialConfig(modelVersion, channels, residualScale, data, batch, patch, seed, lr, recipe);
        if (warmStart != null) {
            Map<String, Object> details = new LinkedHashMap<>(config.training().details());
            details.put("initialisedFrom", warmStart.describe());
            config = config.withTraining(new ModelConfig.Training(details));
        }
        Files.createDirectories(out);
        config.write(file);
        return config;
    }

    /** The loop's progress into the run's config.json, beside the recipe. */
    public static TrainingLoop.ProgressRecord progressInto(Path configFile) {
        return progress -> {
            ModelConfig current = ModelConfig.read(configFile);
            Map<String, Object> details = new LinkedHashMap<>(current.training().details());
            details.putAll(progress);
            current.withTraining(new ModelConfig.Training(details)).write(configFile);
        };
    }

    /**
     * 1 / std of (HR - baseline(LR)) over a few batches, so that the diffused residual has about unit variance; the
     * baseline is bicubic for area pairs and the pair's zero-filling for k-space pairs.
     */
    static float estimateResidualScale(MriTrainingData data, Random random, int patch) {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < 32; i++) {
            TrainingBatch b = data.nextBatch(random, 16, patch);
            int half = patch / 2;
            for (int k = 0; k < b.count(); k++) {
                float[] up;
                if (b.degradation() != null && b.degradation()[k] == Degradation.KSPACE.code()) {
                    up = new float[patch * patch];
                    System.arraycopy(b.baseline(), k * patch * patch, up, 0, up.length);
                } else {
                    float[] lr = new float[half * half];
                    System.arraycopy(b.lowRes(), k * half * half, lr, 0, lr.length);
                    up = Bicubic.upscale(new FloatImage(half, half, lr), 2).pixels();
                }
                for (int p = 0; p < patch * patch; p++) {
                    double d = b.highRes()[k * patch * patch + p] - up[p];
                    sum += d * d;
                    n++;
                }
            }
        }
        return (float) (1 / Math.sqrt(sum / n));
    }

    static ModelConfig initialConfig(String modelVersion, int[] channels, float residualScale, Path data, int batch, int patch,
                                     long seed, LearningRateSchedule lr, TrainingRecipe recipe) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("data", data.getFileName().toString());
        details.put("dataSource", "Debian package mricron-data, /usr/share/mricron/templates/ch2.nii.gz (Colin 27 T1, 1 mm, unmasked)");
        details.put("heldOutAxialSlices", HeldOutSlab.CH2.firstSlice() + ".." + (HeldOutSlab.CH2.endSlice() - 1));
        details.put("excludedAxialSlices", HeldOutSlab.CH2.excludedFrom() + ".." + (HeldOutSlab.CH2.excludedTo() - 1));
        details.put("orientations", "axial, coronal, sagittal (coronal and sagittal cut above and below the excluded slices)");
        details.putAll(recipe.details());
        details.put("timesteps", "half uniform over 0..999, half uniform over 0..299");
        details.put("batch", batch);
        details.put("patch", patch);
        details.put("optimizer", "Adam, learning rate " + lr.describe() + ", gradient clipping 1.0, EMA 0.999");
        details.put("seed", seed);
        java.util.List<String> degradations = trainedDegradations(recipe);
        return new ModelConfig("sr3-mri-t1", modelVersion, 2, channels, "v", "cosine", 1000, residualScale,
                new ModelConfig.Normalisation("percentile", 1, 99),
                new ModelConfig.Sampling("ddim", 4, 1, 0, 1.0),
                new ModelConfig.Guard(degradations == null ? "self-test on the input's 2x box-downsampled copy"
                        : "self-test on the input degraded 2x once more as it was made (box average or k-space truncation), against bicubic or zero-fill", 0.0),
                new ModelConfig.Training(details), null, null, null, null, recipe.formulation(), degradations);
    }

    /**
     * The config's {@code degradations}: what the pairs were made with, so that the service, the snapshot selection and
     * the evaluation run the model for those inputs only. Null for box pairs alone, v2's config (read as "area").
     */
    static java.util.List<String> trainedDegradations(TrainingRecipe recipe) {
        return switch (recipe.pairs().degradation()) {
            case AREA -> null;
            case KSPACE -> java.util.List.of(Degradation.KSPACE.id());
            case MIXED -> java.util.List.of(Degradation.AREA.id(), Degradation.KSPACE.id());
        };
    }
}
