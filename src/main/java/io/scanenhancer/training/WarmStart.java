package io.scanenhancer.training;

import io.scanenhancer.diffusion.Formulation;
import io.scanenhancer.diffusion.ModelConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A warm restart of {@code ./enhancer train --init-from}: both networks of a new run start from a model folder's
 * weights (diffusion and regression prior) instead of a fresh initialisation, with a fresh optimiser and learning
 * rate schedule (SGDR-style). The run keeps the folder's residual scale, since the networks learned outputs in
 * its units, and must ask for the same widths and formulation, or the weights would not fit or mean something else.
 */
public record WarmStart(Path folder, ModelConfig config) {

    public static WarmStart of(Path folder) throws IOException {
        Path file = folder.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--init-from " + folder + ": no config.json there (a routed folder's member, e.g. "
                    + folder.resolve("area") + ", is a model folder)");
        }
        ModelConfig config = ModelConfig.read(file);
        if (config.weightsFile() == null || config.priorWeightsFile() == null) {
            throw new IllegalArgumentException("--init-from " + folder + ": its config names no diffusion and regression weights");
        }
        WarmStart start = new WarmStart(folder, config);
        for (Path p : new Path[] {start.diffusionWeights(), start.regressionWeights()}) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("--init-from " + folder + ": " + p.getFileName() + " is missing");
            }
        }
        return start;
    }

    public Path diffusionWeights() {
        return folder.resolve(config.weightsFile());
    }

    public Path regressionWeights() {
        return folder.resolve(config.priorWeightsFile());
    }

    /** Refuses a run whose networks would not take these weights as they were trained. */
    public void requireCompatible(int[] channels, TrainingRecipe recipe) {
        if (!Arrays.equals(channels, config.channels())) {
            throw new IllegalArgumentException("--init-from " + folder + ": its networks have widths " + Arrays.toString(config.channels())
                    + ", this run asks for " + Arrays.toString(channels));
        }
        Formulation theirs = Formulation.of(config);
        if (!theirs.equals(recipe.formulation())) {
            throw new IllegalArgumentException("--init-from " + folder + ": its networks were trained with " + theirs
                    + ", this run asks for " + recipe.formulation() + " (--degradation-conditioning, --target)");
        }
    }

    /** What the run's config records about where its weights started. */
    public String describe() {
        return folder + " (" + config.id() + " v" + config.version() + ", diffusion weights sha256 " + prefix(config.weightsSha256())
                + ", regression weights sha256 " + prefix(config.priorWeightsSha256()) + "), fresh Adam and learning rate schedule";
    }

    private static String prefix(String sha) {
        return sha == null ? "unknown" : sha.substring(0, Math.min(12, sha.length()));
    }
}
