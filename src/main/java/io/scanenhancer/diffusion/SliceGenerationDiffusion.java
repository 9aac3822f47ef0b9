package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;
import java.util.function.Function;

/**
 * Diffusion that draws whole low-resolution slices from noise (the generator's sampler; it trains with
 * {@link SliceGenerationObjective}), conditioned
 * on the slice's position along the head's axis.
 *
 * <p>The diffused variable x0 is the slice itself in [-1, 1] (see {@link GeneratorBatch}). The condition is a
 * constant image holding the position p in [-1, 1], concatenated to x_t as the U-Net's second input channel: the
 * same network as the super-resolution model, with a position map where that one has the upsampled image. The
 * network predicts v (Salimans and Ho 2022, section 4), as the super-resolution model does.
 */
public final class SliceGenerationDiffusion {
    private final NoiseSchedule schedule;

    public SliceGenerationDiffusion(NoiseSchedule schedule) {
        this.schedule = schedule;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /** (B, 1, size, size) maps, each constant at its slice's position. */
    static NDArray positionMaps(NDManager m, float[] positions, int size) {
        float[] maps = new float[positions.length * size * size];
        for (int b = 0; b < positions.length; b++) {
            java.util.Arrays.fill(maps, b * size * size, (b + 1) * size * size, positions[b]);
        }
        return m.create(maps, new Shape(positions.length, 1, size, size));
    }

    /**
     * Draws one slice per position. The loop, step by step: predict v, turn it into x0, clip x0 to the data range
     * (as diffusers' clip_sample), and let the scheduler move x_t to the next timestep.
     *
     * @param sharedNoise one initial noise image for every slice: with a deterministic sampler, slices at nearby
     *                    positions then differ only where the anatomy changes with position, so the slices form a
     *                    coherent stack instead of unrelated heads
     * @param seed        seeds the initial noise and any noise the scheduler draws
     * @return (B, 1, size, size) in [-1, 1]
     */
    public NDArray sample(Function<NDList, NDArray> network, NDManager outer, Scheduler scheduler, int steps,
                          float[] positions, int size, long seed, boolean sharedNoise) {
        Random random = new Random(seed);
        int b = positions.length;
        Shape shape = new Shape(b, 1, size, size);
        float[] initial;
        if (sharedNoise) {
            float[] one = DiffusionMath.gaussian(random, (long) size * size);
            initial = new float[b * size * size];
            for (int i = 0; i < b; i++) {
                System.arraycopy(one, 0, initial, i * size * size, one.length);
            }
        } else {
            initial = DiffusionMath.gaussian(random, shape.size());
        }
        NDArray x = outer.create(initial, shape);                 // x_T ~ N(0, I)
        NDArray cond = positionMaps(outer, positions, size);
        scheduler.setTimesteps(steps);
        for (int t : scheduler.timesteps()) {
            try (NDManager stepScope = outer.newSubManager()) {
                NDArray xt = x;
                // with x_t in this scope every intermediate of the step (and the previous x_t) is freed when it ends
                xt.attach(stepScope);
                cond.tempAttach(stepScope);
                int[] ts = new int[b];
                java.util.Arrays.fill(ts, t);
                NDArray embedding = stepScope.create(ConditionalUNet.timestepEmbedding(ts), new Shape(b, ConditionalUNet.EMBEDDING));
                NDArray v = network.apply(new NDList(xt.concat(cond, 1), embedding));
                NDArray x0 = DiffusionMath.x0FromVelocity(xt, v, DiffusionMath.Level.at(stepScope, schedule, t)).clip(-1f, 1f);
                NDArray noise = scheduler.stochastic() ? stepScope.create(DiffusionMath.gaussian(random, shape.size()), shape) : null;
                NDArray next = scheduler.step(x0, t, xt, noise);
                next.attach(outer);
                x = next;
            }
        }
        return x.clip(-1f, 1f);
    }
}
