package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;
import java.util.function.Function;

/**
 * The slice generator's objective: || v_theta(x_t, p, t) - v ||^2 with t uniform over 0..T-1, x0 the slice and p
 * its position map (Ho et al. 2020, Algorithm 1; v target of Salimans and Ho 2022; see {@link SliceGenerationDiffusion}).
 */
public final class SliceGenerationObjective implements TrainingObjective<GeneratorBatch> {
    private final NoiseSchedule schedule;

    public SliceGenerationObjective(NoiseSchedule schedule) {
        this.schedule = schedule;
    }

    @Override
    public String name() {
        return "generator";
    }

    @Override
    public NDArray loss(GeneratorBatch batch, Function<NDList, NDArray> network, NDManager m, Random random) {
        int b = batch.count(), size = batch.size();
        NDArray x0 = m.create(batch.images(), new Shape(b, 1, size, size));
        int[] t = new int[b];
        for (int i = 0; i < b; i++) {
            t[i] = random.nextInt(schedule.trainTimesteps());
        }
        DiffusionMath.Level level = DiffusionMath.Level.at(m, schedule, t);
        NDArray eps = m.create(DiffusionMath.gaussian(random, x0.getShape().size()), x0.getShape());
        NDArray xt = DiffusionMath.diffuse(x0, eps, level);
        NDArray v = DiffusionMath.velocity(x0, eps, level);
        NDArray embedding = m.create(ConditionalUNet.timestepEmbedding(t), new Shape(b, ConditionalUNet.EMBEDDING));
        NDArray predicted = network.apply(new NDList(xt.concat(SliceGenerationDiffusion.positionMaps(m, batch.positions(), size), 1), embedding));
        return predicted.sub(v).square().mean();
    }
}
