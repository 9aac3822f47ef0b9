package io.scanenhancer.training;

import io.scanenhancer.diffusion.GeneratorConfig;
import io.scanenhancer.diffusion.LearningRateSchedule;
import io.scanenhancer.volume.HeldOutSlab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The recipe of {@code ./enhancer train-generator}: the run's config, written once and kept on a resume. */
public final class GeneratorTraining {
    private GeneratorTraining() {
    }

    /** The config recorded in {@code out} (a resume), else a new one written there. */
    public static GeneratorConfig openOrCreate(Path out, GeneratorTrainingData training, Path data, String version, int[] channels,
                                               int batch, long seed, LearningRateSchedule lr) throws IOException {
        Path file = out.resolve("config.json");
        if (Files.exists(file)) {
            return GeneratorConfig.read(file);
        }
        GeneratorConfig config = initialConfig(version, channels, training, data, batch, seed, lr);
        Files.createDirectories(out);
        config.write(file);
        return config;
    }

    /** The loop's progress into the run's config.json. */
    public static TrainingLoop.ProgressRecord progressInto(Path configFile) {
        return progress -> {
            GeneratorConfig current = GeneratorConfig.read(configFile);
            Map<String, Object> details = new LinkedHashMap<>(current.training());
            details.putAll(progress);
            current.withTraining(details).write(configFile);
        };
    }

    static GeneratorConfig initialConfig(String version, int[] channels, GeneratorTrainingData training, Path data,
                                         int batch, long seed, LearningRateSchedule lr) {
        List<GeneratorTrainingData.Slice> slices = training.slices();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("data", data.getFileName().toString());
        details.put("dataSource", "Debian package mricron-data, /usr/share/mricron/templates/ch2.nii.gz (Colin 27 T1, 1 mm, unmasked)");
        details.put("trainingSlices", "axial " + slices.get(0).index() + ".." + slices.get(slices.size() - 1).index()
                + " except " + HeldOutSlab.CH2.excludedFrom() + ".." + (HeldOutSlab.CH2.excludedTo() - 1) + " (" + slices.size() + " slices)");
        details.put("heldOutAxialSlices", HeldOutSlab.CH2.firstSlice() + ".." + (HeldOutSlab.CH2.endSlice() - 1));
        details.put("canvas", GeneratorTrainingData.CANVAS + " mm, box-averaged by " + GeneratorTrainingData.FACTOR);
        details.put("augmentation", "left-right mirror, shift up to 8 mm, gain U(0.95, 1.05)");
        details.put("timesteps", "uniform over 0..999");
        details.put("batch", batch);
        details.put("optimizer", "Adam, learning rate " + lr.describe() + ", gradient clipping 1.0, EMA 0.999");
        details.put("seed", seed);
        int first = slices.get(0).index(), last = slices.get(slices.size() - 1).index();
        return new GeneratorConfig("mri-t1-axial-generator", version, GeneratorTrainingData.SIZE,
                GeneratorTrainingData.FACTOR, channels, "v", "cosine", 1000, training.depth(), 1.0,
                new int[] {first, last}, new GeneratorConfig.Sampling("ddim", 50),
                new GeneratorConfig.SuperResolution("sr3-mri-t1-v2", 2), details, null, null);
    }
}
