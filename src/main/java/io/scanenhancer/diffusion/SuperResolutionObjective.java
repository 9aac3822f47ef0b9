package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;
import java.util.function.Function;

/**
 * 2x super-resolution by diffusion in residual space: || v_theta(x_t, up(LR), t) - v ||^2 with x0 = k (HR - up(LR))
 * (Ho et al. 2020, Algorithm 1, with the v target of Salimans and Ho 2022; see {@link SuperResolutionDiffusion}).
 */
public final class SuperResolutionObjective implements TrainingObjective<TrainingBatch> {
    /** Half the timestep draws fall in this first fraction of the schedule. */
    static final double LOW_NOISE_FRACTION = 0.3;

    private final SuperResolutionDiffusion diffusion;

    public SuperResolutionObjective(SuperResolutionDiffusion diffusion) {
        this.diffusion = diffusion;
    }

    @Override
    public String name() {
        return "diffusion";
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDArray> network, NDManager m, Random random) {
        NDArray[] pair = pair(batch, m);
        NDArray cond = SuperResolutionDiffusion.condition(pair[1]);
        NDArray x0 = diffusion.residual(pair[0], cond);
        int b = batch.count();
        int[] t = new int[b];
        for (int i = 0; i < b; i++) {
            t[i] = sampleTimestep(random);
        }
        DiffusionMath.Level level = DiffusionMath.Level.at(m, diffusion.schedule(), t);
        NDArray eps = m.create(DiffusionMath.gaussian(random, x0.getShape().size()), x0.getShape());
        NDArray xt = DiffusionMath.diffuse(x0, eps, level);
        NDArray v = DiffusionMath.velocity(x0, eps, level);
        NDArray embedding = m.create(ConditionalUNet.timestepEmbedding(t), new Shape(b, ConditionalUNet.EMBEDDING));
        NDArray predicted = network.apply(new NDList(xt.concat(cond, 1), embedding));
        return predicted.sub(v).square().mean();
    }

    /**
     * Half the draws are uniform over all timesteps (every sampler stays valid), half uniform over the first 30%:
     * the low-noise levels that sampling from the regression prior visits get twice the training signal.
     */
    private int sampleTimestep(Random random) {
        int total = diffusion.schedule().trainTimesteps();
        return random.nextBoolean() ? random.nextInt(total) : random.nextInt(Math.max(1, (int) (LOW_NOISE_FRACTION * total)));
    }

    /** The batch as (B, 1, size, size) high-resolution and (B, 1, size/2, size/2) low-resolution arrays. */
    static NDArray[] pair(TrainingBatch batch, NDManager m) {
        int half = batch.size() / 2;
        return new NDArray[] {
                m.create(batch.highRes(), new Shape(batch.count(), 1, batch.size(), batch.size())),
                m.create(batch.lowRes(), new Shape(batch.count(), 1, half, half))};
    }
}
