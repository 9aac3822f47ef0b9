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
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Random;

/**
 * Trains one {@link ConditionalUNet} with one objective (the Trainer of this project): Adam, an exponential moving
 * average (EMA) of the weights, and checkpoints from which a run resumes where it stopped.
 */
public final class DiffusionTrainer implements AutoCloseable {

    /** What the network learns: super-resolution by diffusion, its regression baseline, or whole-slice generation. */
    public enum Objective { DIFFUSION, REGRESSION, GENERATION }

    private final Objective objective;
    private final SuperResolutionDiffusion diffusion;
    private final NDManager manager;
    private final Model model;
    private final ConditionalUNet network;
    private final ConditionalUNet emaNetwork;
    private final Trainer trainer;
    private final float emaDecay;
    private final Random random;
    private final ParameterStore emaStore;
    private long step;

    public DiffusionTrainer(Objective objective, SuperResolutionDiffusion diffusion, int[] channels, int patchSize,
                            int batchSize, float learningRate, float emaDecay, long seed) throws IOException {
        this(objective, diffusion, channels, patchSize, batchSize, LearningRateSchedule.constant(learningRate), emaDecay, seed, null);
    }

    /**
     * @param resumeFrom a folder written by {@link #saveCheckpoint}, or null (or a folder without a checkpoint) to start
     *                   afresh. The weights are loaded before DJL's trainer first sees the parameters: its parameter
     *                   store keeps the arrays it first meets, so weights loaded later would be read but never trained.
     */
    public DiffusionTrainer(Objective objective, SuperResolutionDiffusion diffusion, int[] channels, int patchSize,
                            int batchSize, LearningRateSchedule learningRate, float emaDecay, long seed, Path resumeFrom) throws IOException {
        this.objective = objective;
        this.diffusion = diffusion;
        this.emaDecay = emaDecay;
        this.random = new Random(seed);
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        manager = NDManager.newBaseManager();
        network = new ConditionalUNet(channels);
        model = Model.newInstance(objective.name().toLowerCase());
        model.setBlock(network);
        // The loss is computed by SuperResolutionDiffusion; the configured Loss is never called.
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l1Loss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker((Tracker) update -> learningRate.at(step))
                        .optClipGrad(1f).build());
        trainer = model.newTrainer(config);
        // Start from "add nothing to bicubic": a zero output layer (as in diffusers' zero-initialised projections).
        network.outputConvolution().setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        Shape[] shapes = inputShapes(batchSize, patchSize);
        network.initialize(model.getNDManager(), DataType.FLOAT32, shapes);
        emaNetwork = new ConditionalUNet(channels);
        emaNetwork.initialize(manager, DataType.FLOAT32, shapes);
        copyWeights(network, emaNetwork);
        String name = objective.name().toLowerCase();
        Path stepFile = resumeFrom == null ? null : resumeFrom.resolve(name + "-step.txt");
        if (stepFile != null && Files.exists(stepFile)) {
            load(network, model.getNDManager(), resumeFrom.resolve(name + "-raw.params"));
            load(emaNetwork, manager, resumeFrom.resolve(name + "-ema.params"));
            step = Long.parseLong(Files.readString(stepFile).trim());
            // a different noise stream after a resume, still a function of the seed and the step
            random.setSeed(seed ^ (step * 0x9E3779B97F4A7C15L));
        }
        trainer.initialize(shapes); // parameters are initialised already: this only sets up the trainer
        emaStore = new ParameterStore(manager, false);
    }

    static Shape[] inputShapes(int batch, int size) {
        return new Shape[] {new Shape(batch, 2, size, size), new Shape(batch, ConditionalUNet.EMBEDDING)};
    }

    public long step() {
        return step;
    }

    public Objective objective() {
        return objective;
    }

    /** One optimisation step on the batch; returns the loss. */
    public float train(TrainingBatch batch) {
        if (objective == Objective.GENERATION) {
            throw new IllegalStateException("the generator trains on whole slices: use train(loss)");
        }
        return train((forward, scope) -> {
            int half = batch.size() / 2;
            NDArray hr = scope.create(batch.highRes(), new Shape(batch.count(), 1, batch.size(), batch.size()));
            NDArray lr = scope.create(batch.lowRes(), new Shape(batch.count(), 1, half, half));
            return objective == Objective.DIFFUSION
                    ? diffusion.trainingLoss(forward, hr, lr, random)
                    : diffusion.regressionLoss(forward, hr, lr);
        });
    }

    /** One optimisation step on the generator's objective for the batch; returns the loss. */
    public float train(GeneratorBatch batch, SliceGenerationDiffusion generation) {
        return train((forward, scope) -> generation.trainingLoss(forward, scope, batch, random));
    }

    /**
     * One optimisation step on a loss built from the network's forward function; its arrays belong in the scope
     * handed over, which closes after the step.
     */
    private float train(java.util.function.BiFunction<java.util.function.Function<NDList, NDArray>, NDManager, NDArray> lossOf) {
        try (NDManager scope = manager.newSubManager()) {
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray l = lossOf.apply(in -> trainer.forward(in).head(), scope);
                collector.backward(l);
                loss = l.getFloat();
            }
            trainer.step();
            updateEma();
            step++;
            return loss;
        }
    }

    private void updateEma() {
        // every temporary lives in this scope: arrays derived from a parameter would otherwise join the model's
        // manager and stay until the run ends (3.7 MB a step for this network)
        try (NDManager scope = manager.newSubManager()) {
            NDArray keep = scope.create(emaDecay);
            NDArray take = scope.create(1 - emaDecay);
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
    public java.util.function.Function<NDList, NDArray> emaForward() {
        return in -> emaNetwork.forward(emaStore, in, false).head();
    }

    /** Writes the EMA weights in DJL's parameter format (what ships and what {@link PretrainedModel} loads). */
    public void saveEmaWeights(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); DataOutputStream data = new DataOutputStream(out)) {
            emaNetwork.saveParameters(data);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Saves what a resumed run needs: raw and EMA weights and the step count. Adam's moment estimates are not
     * saved (DJL does not expose them); after a resume they rebuild within a few hundred steps.
     */
    public void saveCheckpoint(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path raw = dir.resolve(objective.name().toLowerCase() + "-raw.params");
        Path tmp = dir.resolve(raw.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); DataOutputStream data = new DataOutputStream(out)) {
            network.saveParameters(data);
        }
        Files.move(tmp, raw, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        saveEmaWeights(dir.resolve(objective.name().toLowerCase() + "-ema.params"));
        Path stepFile = dir.resolve(objective.name().toLowerCase() + "-step.txt");
        Files.writeString(stepFile, Long.toString(step));
    }

    public boolean resumed() {
        return step > 0;
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
