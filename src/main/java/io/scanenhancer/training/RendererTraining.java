package io.scanenhancer.training;

import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.diffusion.LearningRateSchedule;
import io.scanenhancer.diffusion.RendererConfig;
import io.scanenhancer.volume.HeldOutSlab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recipe of {@code ./enhancer train-renderer}: the run's config, written once and kept on a resume (a resume
 * with other recipe options is refused rather than silently mixing two recipes), and shipping the EMA weights as a
 * model folder the synthesizer loads.
 */
public final class RendererTraining {
    public static final String ID = "mri-t1-label-renderer";

    /** What a run is asked to be. */
    public record Recipe(int neighbours, int patch, int[] channels, int batch, long seed, int samplingSteps, Double noiseTurnMm, String version) {
    }

    private RendererTraining() {
    }

    /** The config recorded in {@code out} (a resume: it must match the recipe asked), else a new one written there. */
    public static RendererConfig openOrCreate(Path out, RendererTrainingData data, Path dataFile, Recipe recipe,
                                              LearningRateSchedule lr) throws IOException {
        Path file = out.resolve("config.json");
        RendererConfig fresh = initialConfig(data, dataFile, recipe, lr);
        if (Files.exists(file)) {
            RendererConfig recorded = RendererConfig.read(file);
            if (recorded.neighbours() != fresh.neighbours() || recorded.patch() != fresh.patch()
                    || !java.util.Arrays.equals(recorded.channels(), fresh.channels())) {
                throw new IllegalArgumentException(out + " holds a run with neighbours " + recorded.neighbours() + ", patch "
                        + recorded.patch() + ", channels " + java.util.Arrays.toString(recorded.channels())
                        + ": resume it with the same options or use another --out");
            }
            return recorded;
        }
        Files.createDirectories(out);
        fresh.write(file);
        return fresh;
    }

    /** The loop's progress into the run's config.json. */
    public static TrainingLoop.ProgressRecord progressInto(Path configFile) {
        return progress -> {
            RendererConfig current = RendererConfig.read(configFile);
            Map<String, Object> details = new LinkedHashMap<>(current.training());
            details.putAll(progress);
            current.withTraining(details).write(configFile);
        };
    }

    /**
     * Copies EMA weights into {@code dir} as a model folder: the weights and a config.json that records their SHA-256
     * (what {@link io.scanenhancer.diffusion.LabelRenderingModel#load} checks).
     */
    public static void ship(RendererConfig run, Path emaWeights, long step, Path dir) throws IOException {
        Files.createDirectories(dir);
        String name = ID + ".params";
        Path weights = dir.resolve(name);
        Files.copy(emaWeights, weights, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Map<String, Object> details = new LinkedHashMap<>(run.training());
        details.put("shippedStep", step);
        run.withTraining(details).withWeights(name, io.scanenhancer.diffusion.PretrainedModel.sha256(weights))
                .write(dir.resolve("config.json"));
    }

    static RendererConfig initialConfig(RendererTrainingData data, Path dataFile, Recipe r, LearningRateSchedule lr) {
        int[] s = data.slices();
        HeldOutSlab slab = HeldOutSlab.CH2;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("data", dataFile.getFileName().toString());
        details.put("dataSource", "Debian package mricron-data, /usr/share/mricron/templates/ch2.nii.gz (Colin 27 T1, 1 mm, unmasked)");
        details.put("labels", "models/ch2-tissue-labels/labels.nii.gz (Ch2TissueLabels)");
        details.put("conditioning", r.neighbours() == 0 ? "2-D: one-hot labels of the slice"
                : "2.5-D: one-hot labels of the slice and of " + r.neighbours() + " slice(s) above and below, 1 mm apart");
        details.put("trainingSlices", "axial " + s[0] + ".." + s[s.length - 1] + " whose planes k-" + r.neighbours() + "..k+"
                + r.neighbours() + " all lie outside " + slab.excludedFrom() + ".." + (slab.excludedTo() - 1) + " (" + s.length + " slices)");
        details.put("heldOutAxialSlices", slab.firstSlice() + ".." + (slab.endSlice() - 1));
        details.put("pairs", r.patch() + "x" + r.patch() + " windows at 1 mm, at least " + (int) (RendererTrainingData.MIN_HEAD * 100)
                + "% head, left-right mirror; intensity 0..255 -> [-1, 1]");
        details.put("timesteps", "uniform over 0..999");
        details.put("batch", r.batch());
        details.put("optimizer", "Adam, learning rate " + lr.describe() + ", gradient clipping 1.0, EMA 0.999");
        details.put("seed", r.seed());
        return new RendererConfig(ID, r.version(), TissueLabel.values().length, r.neighbours(), 1.0, 1.0, r.patch(), r.channels(),
                "v", "cosine", 1000, new double[] {0, 255}, new RendererConfig.Sampling("ddim", r.samplingSteps(), true, r.noiseTurnMm()), details, null, null);
    }
}
