package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The shipped slice generator: {@code config.json} and its weights (checksum verified), and sampling from it. */
public final class SliceGenerator implements AutoCloseable {
    private final GeneratorConfig config;
    private final NDManager manager;
    private final ConditionalUNet network;
    private final ParameterStore store;
    private final SliceGenerationDiffusion diffusion;

    private SliceGenerator(GeneratorConfig config, NDManager manager, ConditionalUNet network) {
        this.config = config;
        this.manager = manager;
        this.network = network;
        this.store = new ParameterStore(manager, false);
        this.diffusion = new SliceGenerationDiffusion(NoiseSchedule.cosine(config.trainTimesteps()));
    }

    public static SliceGenerator load(Path dir) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new IOException("no generator at " + dir.toAbsolutePath() + ": config.json is missing");
        }
        GeneratorConfig config = GeneratorConfig.read(configFile);
        Path weights = dir.resolve(config.weightsFile());
        PretrainedModel.verifySha256(weights, config.weightsSha256());
        return load(config, weights);
    }

    /** Without the checksum: for training snapshots, which have none recorded yet. */
    public static SliceGenerator load(GeneratorConfig config, Path weights) throws IOException {
        NDManager manager = NDManager.newBaseManager();
        try {
            return new SliceGenerator(config, manager, PretrainedModel.loadNetwork(manager, config.channels(), weights));
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public GeneratorConfig config() {
        return config;
    }

    /**
     * Generates one slice per position with the sampler given, {@code batch} slices per network call.
     *
     * @return size x size images in [-1, 1], row-major
     */
    public List<float[]> generate(float[] positions, String sampler, int steps, long seed, boolean sharedNoise) {
        Function<NDList, NDArray> forward = in -> network.forward(store, in, false).head();
        Scheduler scheduler = sampler.equals("ddpm") ? new DdpmScheduler(diffusion.schedule())
                : sampler.equals("ddim") ? new DdimScheduler(diffusion.schedule(), 0)
                : null;
        if (scheduler == null) {
            throw new IllegalArgumentException("unknown sampler '" + sampler + "': use ddim or ddpm");
        }
        int size = config.size();
        List<float[]> out = new ArrayList<>(positions.length);
        try (NDManager scope = manager.newSubManager()) {
            float[] all = diffusion.sample(forward, scope, scheduler, steps, positions, size, seed, sharedNoise).toFloatArray();
            for (int i = 0; i < positions.length; i++) {
                float[] img = new float[size * size];
                System.arraycopy(all, i * size * size, img, 0, img.length);
                out.add(img);
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
