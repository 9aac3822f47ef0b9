package io.scanenhancer.diffusion;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * One {@link ConditionalUNet} trained on one {@link TrainingObjective}: Adam, an exponential moving average (EMA)
 * of the weights, and checkpoints (raw and EMA weights, Adam's moments, the step) from which a run resumes exactly
 * where it stopped. The loop over batches is io.scanenhancer.training.TrainingLoop's.
 *
 * @param <B> the batch type of the objective
 */
public final class NetworkTrainer<B> implements AutoCloseable {
    /** DJL's optClipGrad value, as every shipped model was trained with. */
    private static final float CLIP_GRAD = 1f;

    /** How a network is trained, whatever it learns. */
    public record Settings(int[] channels, int batch, int size, LearningRateSchedule learningRate, float emaDecay, long seed) {
    }

    private final TrainingObjective<B> objective;
    private final Settings settings;
    private final NDManager manager;
    private final Model model;
    private final ConditionalUNet network;
    private final ConditionalUNet emaNetwork;
    private final ResumableAdam adam;
    private final Trainer trainer;
    private final ParameterStore emaStore;
    private long step;
    private boolean resumedOptimiser;

    /**
     * @param resumeFrom a folder written by {@link #saveCheckpoint}, or null (or a folder without this objective's
     *                   checkpoint) to start afresh. The weights are loaded before DJL's trainer first sees the
     *                   parameters: its parameter store keeps the arrays it first meets, so weights loaded later
     *                   would be read but never trained.
     */
    public NetworkTrainer(TrainingObjective<B> objective, Settings settings, Path resumeFrom) throws IOException {
        this(objective, settings, resumeFrom, null);
    }

    /**
     * A trainer that fine-tunes shipped weights: both the trained and the EMA network start from {@code weights}, at
     * step 0 with a fresh optimiser (test-time adaptation, issue 20 point 5).
     */
    public static <B> NetworkTrainer<B> fineTuning(TrainingObjective<B> objective, Settings settings, Path weights) throws IOException {
        return new NetworkTrainer<>(objective, settings, null, weights);
    }

    /**
     * A run that starts from {@code weights} (a warm restart) and, once it has written a checkpoint to
     * {@code resumeFrom}, resumes from that checkpoint instead.
     */
    public static <B> NetworkTrainer<B> warmStarted(TrainingObjective<B> objective, Settings settings, Path resumeFrom, Path weights) throws IOException {
        return new NetworkTrainer<>(objective, settings, resumeFrom, weights);
    }

    private NetworkTrainer(TrainingObjective<B> objective, Settings settings, Path resumeFrom, Path initialWeights) throws IOException {
        this.objective = objective;
        this.settings = settings;
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) settings.seed());
        manager = NDManager.newBaseManager();
        network = new ConditionalUNet(settings.channels());
        model = Model.newInstance(objective.name());
        model.setBlock(network);
        adam = new ResumableAdam(settings.learningRate(), () -> step, CLIP_GRAD);
        // the objective computes the loss; the configured Loss is never called
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l1Loss()).optOptimizer(adam));
        // start from "add nothing": a zero output layer (as in diffusers' zero-initialised projections)
        network.outputConvolution().setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        Shape[] shapes = objective.inputShapes(settings.batch(), settings.size());
        network.initialize(model.getNDManager(), DataType.FLOAT32, shapes);
        emaNetwork = new ConditionalUNet(settings.channels());
        emaNetwork.initialize(manager, DataType.FLOAT32, shapes);
        copyWeights(network, emaNetwork);
        if (initialWeights != null) {
            load(network, model.getNDManager(), initialWeights);
            load(emaNetwork, manager, initialWeights);
        }
        Path stepFile = resumeFrom == null ? null : file(resumeFrom, "step.txt");
        if (stepFile != null && Files.exists(stepFile)) {
            load(network, model.getNDManager(), file(resumeFrom, "raw.params"));
            load(emaNetwork, manager, file(resumeFrom, "ema.params"));
            step = Long.parseLong(Files.readString(stepFile).trim());
            Path moments = file(resumeFrom, "adam.ndlist");
            // a checkpoint from before moments were saved still resumes, with Adam restarted
            if (Files.exists(moments)) {
                try (DataInputStream in = new DataInputStream(Files.newInputStream(moments))) {
                    adam.load(in, parameters(network));
                }
                resumedOptimiser = true;
            }
        }
        trainer.initialize(shapes); // parameters are initialised already: this only sets up the trainer
        emaStore = new ParameterStore(manager, false);
    }

    public TrainingObjective<B> objective() {
        return objective;
    }

    public String name() {
        return objective.name();
    }

    public long step() {
        return step;
    }

    public boolean resumed() {
        return step > 0;
    }

    /** Whether a resume also restored Adam's moments (false for a checkpoint written before they were saved). */
    public boolean resumedOptimiser() {
        return resumedOptimiser;
    }

    /** One optimisation step on the batch, with the noise stream of this step (see {@link #stepRandom}); returns the loss. */
    public float train(B batch) {
        return train(batch, stepRandom(settings.seed(), step));
    }

    /** One optimisation step; the objective's arrays live in a scope that closes after the step. */
    public float train(B batch, Random random) {
        try (NDManager scope = manager.newSubManager()) {
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray l = objective.loss(batch, in -> trainer.forward(in).head(), scope, random);
                collector.backward(l);
                loss = l.getFloat();
            }
            trainer.step();
            updateEma();
            step++;
            return loss;
        }
    }

    /** A stream that depends only on the seed and the step, so a resumed run draws what an uninterrupted one would. */
    public static Random stepRandom(long seed, long step) {
        return new Random(seed ^ ((step + 1) * 0x9E3779B97F4A7C15L));
    }

    private void updateEma() {
        // every temporary lives in this scope: arrays derived from a parameter would otherwise join the model's
        // manager and stay until the run ends (3.7 MB a step for this network)
        try (NDManager scope = manager.newSubManager()) {
            NDArray keep = scope.create(settings.emaDecay());
            NDArray take = scope.create(1 - settings.emaDecay());
            Iterator<Parameter> ema = emaNetwork.getParameters().values().iterator();
            for (Parameter p : network.getParameters().values()) {
                NDArray target = ema.next().getArray();
                NDArray current = p.getArray().stopGradient();
                current.attach(scope);
                target.muli(keep).addi(current.mul(take));
            }
        }
    }

    private static void copyWeights(ConditionalUNet from, ConditionalUNet to) {
        Iterator<Parameter> dst = to.getParameters().values().iterator();
        for (Parameter p : from.getParameters().values()) {
            NDArray target = dst.next().getArray();
            try (NDArray source = p.getArray().stopGradient()) {
                target.set(source.toByteBuffer());
            }
        }
    }

    /** The EMA network as a function, for validation during training. */
    public Function<NDList, NDArray> emaForward() {
        return in -> emaNetwork.forward(emaStore, in, false).head();
    }

    /** Writes the trained (not averaged) weights: after a short fine-tuning the EMA has barely moved. */
    public void saveRawWeights(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        atomically(file, out -> network.saveParameters(out));
    }

    /** Writes the EMA weights in DJL's parameter format (what ships and what {@link PretrainedModel} loads). */
    public void saveEmaWeights(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        atomically(file, out -> emaNetwork.saveParameters(out));
    }

    /** Saves what an exact resume needs: raw and EMA weights, Adam's moments and t, and (last) the step count. */
    public void saveCheckpoint(Path dir) throws IOException {
        Files.createDirectories(dir);
        atomically(file(dir, "raw.params"), out -> network.saveParameters(out));
        atomically(file(dir, "adam.ndlist"), out -> adam.save(out, parameters(network)));
        saveEmaWeights(file(dir, "ema.params"));
        Files.writeString(file(dir, "step.txt"), Long.toString(step));
    }

    private Path file(Path dir, String suffix) {
        return dir.resolve(objective.name() + "-" + suffix);
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static void atomically(Path file, Writer writer) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); DataOutputStream data = new DataOutputStream(out)) {
            writer.write(data);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<Parameter> parameters(ConditionalUNet network) {
        return network.getParameters().values();
    }

    private static void load(ConditionalUNet block, NDManager owner, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            block.loadParameters(owner, data);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException("checkpoint " + file + " does not match this network: " + e.getMessage(), e);
        }
    }

    public static long parameterCount(ConditionalUNet network) {
        long n = 0;
        for (Parameter p : network.getParameters().values()) {
            n += p.getArray().size();
        }
        return n;
    }

    public long parameterCount() {
        return parameterCount(network);
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
        manager.close();
    }
}
