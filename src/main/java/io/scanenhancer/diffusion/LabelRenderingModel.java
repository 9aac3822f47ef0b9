package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A trained label renderer: {@code config.json} ({@link RendererConfig}) and its weights (checksum verified), and
 * rendering label stacks with it. One rendering at a time: the network's parameter store and managers are not
 * shared between threads, and libtorch uses every core for one forward anyway.
 */
public final class LabelRenderingModel implements AutoCloseable {
    private final RendererConfig config;
    private final NDManager manager;
    private final ConditionalUNet network;
    private final ParameterStore store;
    private final LabelRenderingDiffusion diffusion;

    private LabelRenderingModel(RendererConfig config, NDManager manager, ConditionalUNet network) {
        this.config = config;
        this.manager = manager;
        this.network = network;
        this.store = new ParameterStore(manager, false);
        this.diffusion = new LabelRenderingDiffusion(NoiseSchedule.cosine(config.trainTimesteps()), config.conditioning());
    }

    /** Loads {@code dir/config.json} and the weights it names, after checking their SHA-256. */
    public static LabelRenderingModel load(Path dir) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new IOException("no label renderer at " + dir.toAbsolutePath() + ": config.json is missing");
        }
        RendererConfig config = RendererConfig.read(configFile);
        if (config.weightsFile() == null) {
            throw new IOException(configFile + " names no weights: it is a training run's config, not a shipped renderer");
        }
        Path weights = dir.resolve(config.weightsFile());
        PretrainedModel.verifySha256(weights, config.weightsSha256());
        NDManager manager = NDManager.newBaseManager();
        try {
            return new LabelRenderingModel(config, manager, PretrainedModel.loadNetwork(manager, config.channels(),
                    config.conditioning().imageChannels(), weights));
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public RendererConfig config() {
        return config;
    }

    /**
     * Renders one image from its label planes with the config's sampler and step count.
     *
     * @param labels planes x height x width class indices (planes k-n .. k+n, {@link LabelConditioning})
     * @return height x width in [-1, 1]; the same labels and seed give the same image, bit for bit
     */
    public synchronized float[] render(byte[] labels, int height, int width, long seed) {
        return render(labels, height, width, seed, config.sampling().steps());
    }

    /** As above with {@code steps} sampling steps (for choosing the step count by measurement). */
    public synchronized float[] render(byte[] labels, int height, int width, long seed, int steps) {
        return render(labels, height, width, NoiseBlend.of(seed), steps);
    }

    /** As above with x_T a {@link NoiseBlend} of two seeds' fields. */
    public synchronized float[] render(byte[] labels, int height, int width, NoiseBlend noise, int steps) {
        int planes = config.conditioning().planes();
        if (labels.length != planes * height * width) {
            throw new IllegalArgumentException(labels.length + " labels for " + planes + " planes of " + height + "x" + width);
        }
        // the U-Net halves the grid three times: pad with background (class 0) to a multiple of 8, crop afterwards
        int m = ConditionalUNet.sizeMultiple();
        int h = (height + m - 1) / m * m, w = (width + m - 1) / m * m;
        byte[] padded = labels;
        if (h != height || w != width) {
            padded = new byte[planes * h * w];
            for (int p = 0; p < planes; p++) {
                for (int r = 0; r < height; r++) {
                    System.arraycopy(labels, (p * height + r) * width, padded, (p * h + r) * w, width);
                }
            }
        }
        Function<NDList, NDArray> forward = in -> network.forward(store, in, false).head();
        try (NDManager scope = manager.newSubManager()) {
            float[] all = diffusion.sample(forward, scope, scheduler(), steps, padded, 1, h, w, new NoiseBlend[] {noise}).toFloatArray();
            if (h == height && w == width) {
                return all;
            }
            float[] out = new float[height * width];
            for (int r = 0; r < height; r++) {
                System.arraycopy(all, r * w, out, r * width, width);
            }
            return out;
        }
    }

    private Scheduler scheduler() {
        return switch (config.sampling().sampler()) {
            case "ddim" -> new DdimScheduler(diffusion.schedule(), 0);
            case "ddpm" -> new DdpmScheduler(diffusion.schedule());
            default -> throw new IllegalArgumentException("unknown sampler '" + config.sampling().sampler() + "': use ddim or ddpm");
        };
    }

    public long parameterCount() {
        return NetworkTrainer.parameterCount(network);
    }

    @Override
    public void close() {
        manager.close();
    }
}
