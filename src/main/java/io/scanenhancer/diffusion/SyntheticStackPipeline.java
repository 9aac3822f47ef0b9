package io.scanenhancer.diffusion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic slice stacks at full resolution: the generator draws low-resolution slices at evenly spaced positions,
 * then the super-resolution model doubles them {@code stages} times (64 -> 128 -> 256 for the shipped pair).
 * Values are in the training volume's units (0..255). Knows nothing of DICOM.
 */
public final class SyntheticStackPipeline implements AutoCloseable {
    private final SliceGenerator generator;
    private final PretrainedModel superResolution;
    private final PretrainedModel prior;
    private final SuperResolutionPipeline upscaler;

    private SyntheticStackPipeline(SliceGenerator generator, PretrainedModel superResolution, PretrainedModel prior) {
        this.generator = generator;
        this.superResolution = superResolution;
        this.prior = prior;
        this.upscaler = new SuperResolutionPipeline(superResolution, prior);
    }

    /** The generator in {@code generatorDir}; its super-resolution model is the folder its config names, beside it. */
    public static SyntheticStackPipeline load(Path generatorDir) throws IOException {
        SliceGenerator generator = SliceGenerator.load(generatorDir);
        return withUpscaler(generator, generatorDir.toAbsolutePath().getParent().resolve(generator.config().superResolution().model()));
    }

    /** @param superResolutionModel a model folder; of a routed one, the member that answers box inputs is used */
    public static SyntheticStackPipeline withUpscaler(SliceGenerator generator, Path superResolutionModel) throws IOException {
        Path superResolutionDir = ModelRoutes.memberFor(superResolutionModel, "area");
        try {
            PretrainedModel sr = PretrainedModel.load(superResolutionDir);
            try {
                return new SyntheticStackPipeline(generator, sr, PretrainedModel.loadPrior(superResolutionDir));
            } catch (IOException | RuntimeException e) {
                sr.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            generator.close();
            throw e;
        }
    }

    public GeneratorConfig generatorConfig() {
        return generator.config();
    }

    public ModelConfig superResolutionConfig() {
        return superResolution.config();
    }

    /**
     * @param lowRes         the generated slices, generator size, 0..255
     * @param fullRes        the same after the super-resolution stages, {@code size} x {@code size}
     * @param axialIndices   each slice's position as an axial index of the training volume
     * @param sliceSpacingMm distance between neighbouring slices
     */
    public record Stack(List<float[]> lowRes, List<float[]> fullRes, int lowResSize, int size, double pixelSpacingMm,
                        double[] axialIndices, double sliceSpacingMm, String method, long generateMillis,
                        long upscaleMillis) {
    }

    /** Evenly spaced axial indices over the generator's default range. */
    public static double[] evenlySpaced(GeneratorConfig c, int count) {
        double first = c.positionRange()[0], last = c.positionRange()[1];
        double[] k = new double[count];
        for (int i = 0; i < count; i++) {
            k[i] = count == 1 ? (first + last) / 2 : first + (last - first) * i / (count - 1);
        }
        return k;
    }

    /**
     * A stack over the generator's default range, one shared initial noise for all slices (a coherent stack).
     *
     * @param sampler the generator's sampler and {@code steps} its step count; null for the shipped default
     */
    public Stack generate(int count, long seed, String sampler, Integer steps) {
        if (count < 1 || count > 512) {
            throw new IllegalArgumentException("count must be between 1 and 512, got " + count);
        }
        return generateAt(evenlySpaced(generator.config(), count), seed, sampler, steps, true);
    }

    /**
     * Slices at the given axial indices of the training volume.
     *
     * @param sharedNoise one initial noise image for all slices (a stack) or independent noise (independent samples)
     */
    public Stack generateAt(double[] k, long seed, String sampler, Integer steps, boolean sharedNoise) {
        GeneratorConfig c = generator.config();
        String s = sampler == null ? c.sampling().sampler() : sampler;
        int n = steps == null ? c.sampling().steps() : steps;
        int count = k.length;
        float[] positions = new float[count];
        for (int i = 0; i < count; i++) {
            positions[i] = c.position(k[i]);
        }
        long start = System.nanoTime();
        List<float[]> low = new ArrayList<>();
        for (float[] img : generator.generate(positions, s, n, seed, sharedNoise)) {
            low.add(toVolumeUnits(img));
        }
        long generated = System.nanoTime();
        List<float[]> images = low;
        int size = c.size();
        ModelConfig.Sampling d = superResolution.config().sampling();
        SamplerSettings srSettings = new SamplerSettings(d.sampler(), d.steps(), 1, seed, d.strength());
        for (int stage = 0; stage < c.superResolution().stages(); stage++) {
            List<float[]> next = new ArrayList<>(images.size());
            for (SuperResolutionPipeline.Result r : upscaler.upscaleAll(images, size, size, srSettings)) {
                next.add(r.mean());
            }
            images = next;
            size *= 2;
        }
        double spacing = count == 1 ? c.sliceSpacingMm() : Math.abs(k[1] - k[0]) * c.sliceSpacingMm();
        String method = "generator " + c.id() + " " + c.version() + " (" + s + " " + n + " steps" + (sharedNoise ? ", shared noise" : "")
                + "), then " + c.superResolution().stages() + " x " + superResolution.config().id() + " " + superResolution.config().version();
        return new Stack(low, images, c.size(), size, c.pixelSpacingMm() / (1 << c.superResolution().stages()), k, spacing, method,
                (generated - start) / 1_000_000, (System.nanoTime() - generated) / 1_000_000);
    }

    /** [-1, 1] to the training volume's 0..255. */
    public static float[] toVolumeUnits(float[] img) {
        float[] out = new float[img.length];
        for (int i = 0; i < img.length; i++) {
            out[i] = (img[i] + 1) * 127.5f;
        }
        return out;
    }

    @Override
    public void close() {
        generator.close();
        superResolution.close();
        if (prior != null) {
            prior.close();
        }
    }
}
