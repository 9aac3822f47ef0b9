package io.scanenhancer.diffusion;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;

/** A network rebuilt from {@code config.json} with its weights, after checking the weights' SHA-256. */
public final class PretrainedModel implements AutoCloseable {
    private final ModelConfig config;
    private final NDManager manager;
    private final ConditionalUNet network;
    private final ParameterStore store;

    private PretrainedModel(ModelConfig config, NDManager manager, ConditionalUNet network) {
        this.config = config;
        this.manager = manager;
        this.network = network;
        this.store = new ParameterStore(manager, false);
    }

    /** Loads {@code dir/config.json} and the weights it names. */
    public static PretrainedModel load(Path dir) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new IOException("no model at " + dir.toAbsolutePath() + ": config.json is missing");
        }
        ModelConfig config = ModelConfig.read(configFile);
        return load(config, dir.resolve(config.weightsFile()), true);
    }

    /**
     * @param verify check the weights against {@code config.weightsSha256()} (off only for training snapshots,
     *               which have no recorded checksum yet)
     */
    public static PretrainedModel load(ModelConfig config, Path weights, boolean verify) throws IOException {
        if (!Files.isRegularFile(weights)) {
            throw new IOException("model weights " + weights.toAbsolutePath() + " are missing");
        }
        if (verify) {
            verifySha256(weights, config.weightsSha256());
        }
        NDManager manager = NDManager.newBaseManager();
        try {
            return new PretrainedModel(config, manager,
                    loadNetwork(manager, config.channels(), Formulation.of(config).imageChannels(), weights));
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A U-Net of the given widths and two image channels with the weights of {@code weights}, its arrays in {@code manager}. */
    static ConditionalUNet loadNetwork(NDManager manager, int[] channels, Path weights) throws IOException {
        return loadNetwork(manager, channels, 2, weights);
    }

    /** @param imageChannels the network's image input channels ({@link Formulation#imageChannels()}) */
    static ConditionalUNet loadNetwork(NDManager manager, int[] channels, int imageChannels, Path weights) throws IOException {
        try {
            ConditionalUNet network = new ConditionalUNet(channels);
            int s = ConditionalUNet.sizeMultiple();
            network.initialize(manager, DataType.FLOAT32, ConditionalUNet.inputShapes(1, s, imageChannels));
            try (InputStream in = Files.newInputStream(weights); DataInputStream data = new DataInputStream(in)) {
                network.loadParameters(manager, data);
            }
            return network;
        } catch (MalformedModelException | RuntimeException e) {
            throw new IOException("cannot load " + weights.getFileName() + " into the network described by config.json: " + e.getMessage(), e);
        }
    }

    /** Fails unless the file's SHA-256 is the one recorded. */
    static void verifySha256(Path weights, String expected) throws IOException {
        if (!Files.isRegularFile(weights)) {
            throw new IOException("model weights " + weights.toAbsolutePath() + " are missing");
        }
        String actual = sha256(weights);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new IOException("model weights " + weights.getFileName() + " have SHA-256 " + actual
                    + " but config.json records " + expected + ": the file is corrupt or not the one trained");
        }
    }

    /** The regression prior recorded in {@code dir/config.json}, checksum verified; null when none is recorded. */
    public static PretrainedModel loadPrior(Path dir) throws IOException {
        ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
        if (config.priorWeightsFile() == null) {
            return null;
        }
        return load(config.withWeights(config.priorWeightsFile(), config.priorWeightsSha256()),
                dir.resolve(config.priorWeightsFile()), true);
    }

    public static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public ModelConfig config() {
        return config;
    }

    public NDManager manager() {
        return manager;
    }

    public Function<NDList, NDArray> forward() {
        return in -> network.forward(store, in, false).head();
    }

    public long parameterCount() {
        return NetworkTrainer.parameterCount(network);
    }

    @Override
    public void close() {
        manager.close();
    }
}
