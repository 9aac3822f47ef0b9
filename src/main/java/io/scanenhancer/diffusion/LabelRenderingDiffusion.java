package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

/**
 * The label renderer's sampler (trained by {@link LabelRenderingObjective}): an image drawn from noise, conditioned
 * on its one-hot label planes. The loop is diffusers' pipeline split: the network predicts v, the model's x0 follows
 * from it, and a {@link Scheduler} (DDIM by default) moves x_t to the next timestep.
 */
public final class LabelRenderingDiffusion {
    private final NoiseSchedule schedule;
    private final LabelConditioning conditioning;

    public LabelRenderingDiffusion(NoiseSchedule schedule, LabelConditioning conditioning) {
        this.schedule = schedule;
        this.conditioning = conditioning;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    public LabelConditioning conditioning() {
        return conditioning;
    }

    /**
     * Renders one image per label stack.
     *
     * @param labels count x planes x height x width class indices ({@link LabelBatch#labels()}'s layout)
     * @param noises one per image: its initial noise x_T ({@link NoiseBlend}; a stochastic scheduler's noise continues
     *               its first field's stream), so an image does not depend on what else is in the batch
     * @return (count, 1, height, width) in [-1, 1]
     */
    public NDArray sample(Function<NDList, NDArray> network, NDManager outer, Scheduler scheduler, int steps,
                          byte[] labels, int count, int height, int width, NoiseBlend[] noises) {
        if (noises.length != count) {
            throw new IllegalArgumentException(noises.length + " initial noises for " + count + " images");
        }
        Random[] rows = new Random[count];
        int perRow = Math.multiplyExact(height, width);
        float[] initial = new float[Math.multiplyExact(count, perRow)];
        for (int i = 0; i < count; i++) {
            rows[i] = noises[i].fill(initial, i * perRow, perRow);
        }
        Shape shape = new Shape(count, 1, height, width);
        NDArray x = outer.create(initial, shape);   // x_T ~ N(0, I)
        NDArray cond = conditioning.oneHot(outer, labels, count, height, width);
        scheduler.setTimesteps(steps);
        for (int t : scheduler.timesteps()) {
            try (NDManager stepScope = outer.newSubManager()) {
                NDArray xt = x;
                // with x_t in this scope every intermediate of the step (and the previous x_t) is freed when it ends
                xt.attach(stepScope);
                cond.tempAttach(stepScope);
                int[] ts = new int[count];
                Arrays.fill(ts, t);
                NDArray embedding = stepScope.create(ConditionalUNet.timestepEmbedding(ts), new Shape(count, ConditionalUNet.EMBEDDING));
                NDArray v = network.apply(new NDList(xt.concat(cond, 1), embedding));
                // x0 = sqrt(abar_t) x_t - sqrt(1 - abar_t) v (Salimans and Ho 2022, section 4), clipped to the data
                // range as diffusers' clip_sample
                NDArray x0 = DiffusionMath.x0FromVelocity(xt, v, DiffusionMath.Level.at(stepScope, schedule, t)).clip(-1f, 1f);
                NDArray noise = scheduler.stochastic() ? stepScope.create(DiffusionMath.gaussianRows(rows, perRow), shape) : null;
                NDArray next = scheduler.step(x0, t, xt, noise);
                next.attach(outer);
                x = next;
            }
        }
        return x.clip(-1f, 1f);
    }
}
