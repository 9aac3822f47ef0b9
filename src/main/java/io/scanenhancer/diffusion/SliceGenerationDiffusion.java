package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;
import java.util.function.Function;

/**
 * Diffusion that draws whole low-resolution slices from noise (the GaussianDiffusion of the generator), conditioned
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
     * || v_theta(x_t, p, t) - v ||^2 with t uniform over 0..T-1 (Ho et al. 2020, Algorithm 1; v target of Salimans
     * and Ho 2022). Scalars are arrays: DJL loses Java-number operands before backward (STACK.md).
     */
    public NDArray trainingLoss(Function<NDList, NDArray> network, NDManager m, GeneratorBatch batch, Random random) {
        int b = batch.count(), size = batch.size();
        NDArray x0 = m.create(batch.images(), new Shape(b, 1, size, size));
        int[] t = new int[b];
        float[] sa = new float[b], sb = new float[b];
        for (int i = 0; i < b; i++) {
            t[i] = random.nextInt(schedule.trainTimesteps());
            sa[i] = (float) Math.sqrt(schedule.alphaBar(t[i]));
            sb[i] = (float) Math.sqrt(1 - schedule.alphaBar(t[i]));
        }
        NDArray a = m.create(sa, new Shape(b, 1, 1, 1));
        NDArray s = m.create(sb, new Shape(b, 1, 1, 1));
        NDArray eps = m.create(SuperResolutionDiffusion.gaussian(random, x0.getShape().size()), x0.getShape());
        NDArray xt = x0.mul(a).add(eps.mul(s));                  // Ho et al. 2020, eq. 4
        NDArray v = eps.mul(a).sub(x0.mul(s));                    // Salimans and Ho 2022, v target
        NDArray embedding = m.create(ConditionalUNet.timestepEmbedding(t), new Shape(b, ConditionalUNet.EMBEDDING));
        NDArray predicted = network.apply(new NDList(xt.concat(positionMaps(m, batch.positions(), size), 1), embedding));
        return predicted.sub(v).square().mean();
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
            float[] one = SuperResolutionDiffusion.gaussian(random, (long) size * size);
            initial = new float[b * size * size];
            for (int i = 0; i < b; i++) {
                System.arraycopy(one, 0, initial, i * size * size, one.length);
            }
        } else {
            initial = SuperResolutionDiffusion.gaussian(random, shape.size());
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
                double ab = schedule.alphaBar(t);
                // x0 = sqrt(abar_t) x_t - sqrt(1 - abar_t) v   (Salimans and Ho 2022, eq. 11 rearranged)
                NDArray x0 = xt.mul(Math.sqrt(ab)).sub(v.mul(Math.sqrt(1 - ab)));
                x0 = x0.clip(-1f, 1f);
                NDArray noise = scheduler.stochastic() ? stepScope.create(SuperResolutionDiffusion.gaussian(random, shape.size()), shape) : null;
                NDArray next = scheduler.step(x0, t, xt, noise);
                next.attach(outer);
                x = next;
            }
        }
        return x.clip(-1f, 1f);
    }
}
