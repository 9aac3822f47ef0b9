package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;
import java.util.function.Function;

/**
 * What a network learns from a batch: the loss, given the network as a function (the role of GaussianDiffusion's
 * forward in denoising-diffusion-pytorch). The network and its optimiser belong to {@link NetworkTrainer}; the loop
 * over batches, budgets and snapshots to io.scanenhancer.training.TrainingLoop. A new degradation, loss or
 * prediction target is a new objective (or a parameter of one), not a new loop.
 *
 * @param <B> the batch type the objective reads
 */
public interface TrainingObjective<B> {

    /** Names the network's checkpoint and snapshot files ({@code NAME-raw.params}, {@code NAME-000500.params}). */
    String name();

    /**
     * The loss of one batch. Every array it makes belongs in {@code scope}, which closes after the step; scalars
     * must be arrays (DJL may free a Java number's wrapper before backward, STACK.md).
     *
     * @param random the step's own stream (timesteps, noise): a function of the seed and the step, so a resumed
     *               run draws what an uninterrupted one would have drawn
     */
    NDArray loss(B batch, Function<NDList, NDArray> network, NDManager scope, Random random);

    /** The network's input shapes for a batch of {@code batch} images of size x size. */
    default Shape[] inputShapes(int batch, int size) {
        return ConditionalUNet.inputShapes(batch, size);
    }
}
