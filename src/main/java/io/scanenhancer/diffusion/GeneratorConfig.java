package io.scanenhancer.diffusion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything needed to rebuild the shipped slice generator and use it as trained; {@code config.json} beside the
 * weights, whose SHA-256 is checked at load time.
 *
 * @param size           generated slices are size x size
 * @param pixelSpacingMm the generated slices' pixel spacing (the super-resolution stages halve it each)
 * @param depth          number of axial slices of the training volume; position p in [-1, 1] stands for axial index
 *                       (p + 1) depth / 2 - 0.5 at {@code sliceSpacingMm}
 * @param sliceSpacingMm the training volume's slice spacing
 * @param positionRange  the axial indices a study spans by default (first, last): the range with trained slices
 * @param superResolution the model folder name (beside this one) of the super-resolution model, and how many 2x
 *                       stages of it bring a generated slice to full resolution
 */
public record GeneratorConfig(
        String id,
        String version,
        int size,
        double pixelSpacingMm,
        int[] channels,
        String prediction,
        String schedule,
        int trainTimesteps,
        int depth,
        double sliceSpacingMm,
        int[] positionRange,
        Sampling sampling,
        SuperResolution superResolution,
        Map<String, Object> training,
        String weightsFile,
        String weightsSha256) {

    /** The default sampler and step count (chosen by measurement, see EVALUATION.md). */
    public record Sampling(String sampler, int steps) {
    }

    public record SuperResolution(String model, int stages) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static GeneratorConfig read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), GeneratorConfig.class);
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), this);
    }

    public GeneratorConfig withWeights(String file, String sha256) {
        return new GeneratorConfig(id, version, size, pixelSpacingMm, channels, prediction, schedule, trainTimesteps,
                depth, sliceSpacingMm, positionRange, sampling, superResolution, training, file, sha256);
    }

    public GeneratorConfig withTraining(Map<String, Object> t) {
        return new GeneratorConfig(id, version, size, pixelSpacingMm, channels, prediction, schedule, trainTimesteps,
                depth, sliceSpacingMm, positionRange, sampling, superResolution, t, weightsFile, weightsSha256);
    }

    public GeneratorConfig withSampling(Sampling s) {
        return new GeneratorConfig(id, version, size, pixelSpacingMm, channels, prediction, schedule, trainTimesteps,
                depth, sliceSpacingMm, positionRange, s, superResolution, training, weightsFile, weightsSha256);
    }

    /** The generator's position for axial index k of the training volume. */
    public float position(double k) {
        return position(k, depth);
    }

    /** Axial index k of a volume of {@code depth} slices to the generator's position in [-1, 1]. */
    public static float position(double k, int depth) {
        return (float) (2 * (k + 0.5) / depth - 1);
    }
}
