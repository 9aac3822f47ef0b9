package io.scanenhancer.diffusion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything needed to rebuild a label-conditioned renderer and use it as trained; {@code config.json} beside the
 * weights, whose SHA-256 is checked at load time (as {@link ModelConfig} for the super-resolution model).
 *
 * @param classes            label values 0..classes-1 (one one-hot channel each, per plane)
 * @param neighbours         label planes on each side of the slice: 0 = 2-D, 1 = 2.5-D ({@link LabelConditioning})
 * @param neighbourSpacingMm distance between the planes in training (the training volume's slice spacing); a
 *                           renderer cuts its neighbour planes this far from the slice whatever the study's spacing,
 *                           so that its condition looks like what it was trained on
 * @param pixelSpacingMm     the pixels it was trained at (and renders at)
 * @param patch              training patches were patch x patch (rendering is fully convolutional: any multiple of 8)
 * @param intensityRange     the training images' range that [-1, 1] stands for (0..255 for ch2)
 */
public record RendererConfig(
        String id,
        String version,
        int classes,
        int neighbours,
        double neighbourSpacingMm,
        double pixelSpacingMm,
        int patch,
        int[] channels,
        String prediction,
        String schedule,
        int trainTimesteps,
        double[] intensityRange,
        Sampling sampling,
        Map<String, Object> training,
        String weightsFile,
        String weightsSha256) {

    /**
     * The sampler and its step count.
     *
     * @param sharedNoise one initial noise image x_T for every slice of a study: with the deterministic DDIM sampler,
     *                    adjacent slices then differ only where their labels differ, which keeps the stack coherent
     *                    across slices (the generator's sharedNoise, for the same reason)
     * @param noiseTurnMm with sharedNoise, the distance along the slice axis over which the shared noise turns from
     *                    one independent field to the next ({@link NoiseBlend}, anchors this far apart); null: one
     *                    field for the whole study, whose texture then repeats in every slice and draws streaks along
     *                    the slice axis in sagittal and coronal reformats
     */
    public record Sampling(String sampler, int steps, boolean sharedNoise,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Double noiseTurnMm) {
        public Sampling(String sampler, int steps, boolean sharedNoise) {
            this(sampler, steps, sharedNoise, null);
        }

        public Sampling {
            if (noiseTurnMm != null && !(noiseTurnMm > 0)) {
                throw new IllegalArgumentException("noiseTurnMm must be positive, got " + noiseTurnMm);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RendererConfig {
        if (!"v".equals(prediction) || !"cosine".equals(schedule)) {
            throw new IllegalArgumentException("the label renderer predicts v on the cosine schedule, config says "
                    + prediction + " / " + schedule);
        }
        new LabelConditioning(classes, neighbours); // refuses impossible values
    }

    public LabelConditioning conditioning() {
        return new LabelConditioning(classes, neighbours);
    }

    public static RendererConfig read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), RendererConfig.class);
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), this);
    }

    public RendererConfig withWeights(String file, String sha256) {
        return new RendererConfig(id, version, classes, neighbours, neighbourSpacingMm, pixelSpacingMm, patch, channels,
                prediction, schedule, trainTimesteps, intensityRange, sampling, training, file, sha256);
    }

    public RendererConfig withTraining(Map<String, Object> t) {
        return new RendererConfig(id, version, classes, neighbours, neighbourSpacingMm, pixelSpacingMm, patch, channels,
                prediction, schedule, trainTimesteps, intensityRange, sampling, t, weightsFile, weightsSha256);
    }

    /** Training-volume intensity to the network's [-1, 1]. */
    public float normalise(float value) {
        double lo = intensityRange[0], hi = intensityRange[1];
        return (float) Math.max(-1, Math.min(1, 2 * (value - lo) / (hi - lo) - 1));
    }

    /** The network's [-1, 1] back to training-volume intensity. */
    public float denormalise(float value) {
        double lo = intensityRange[0], hi = intensityRange[1];
        return (float) (lo + (value + 1) / 2 * (hi - lo));
    }
}
