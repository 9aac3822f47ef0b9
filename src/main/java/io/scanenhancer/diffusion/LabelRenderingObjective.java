package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;
import java.util.function.Function;

/**
 * The label renderer's objective: E || v_theta(x_t, c, t) - v ||^2 with t uniform over 0..T-1, x0 the image patch,
 * c its one-hot label planes ({@link LabelConditioning}) and v = sqrt(abar_t) eps - sqrt(1 - abar_t) x0 (Ho et al.
 * 2020, Algorithm 1, with the v target of Salimans and Ho 2022, section 4). Sampled by {@link LabelRenderingDiffusion}.
 */
public final class LabelRenderingObjective implements TrainingObjective<LabelBatch> {
    public static final String NAME = "renderer";

    private final NoiseSchedule schedule;
    private final LabelConditioning conditioning;

    public LabelRenderingObjective(NoiseSchedule schedule, LabelConditioning conditioning) {
        this.schedule = schedule;
        this.conditioning = conditioning;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NDArray loss(LabelBatch batch, Function<NDList, NDArray> network, NDManager m, Random random) {
        if (batch.planes() != conditioning.planes()) {
            throw new IllegalArgumentException("batch has " + batch.planes() + " label planes, the renderer takes " + conditioning.planes());
        }
        int b = batch.count(), size = batch.size();
        NDArray x0 = m.create(batch.images(), new Shape(b, 1, size, size));
        int[] t = new int[b];
        for (int i = 0; i < b; i++) {
            t[i] = random.nextInt(schedule.trainTimesteps());
        }
        DiffusionMath.Level level = DiffusionMath.Level.at(m, schedule, t);
        NDArray eps = m.create(DiffusionMath.gaussian(random, x0.getShape().size()), x0.getShape());
        NDArray xt = DiffusionMath.diffuse(x0, eps, level);     // Ho et al. 2020, eq. 4
        NDArray v = DiffusionMath.velocity(x0, eps, level);     // Salimans and Ho 2022, section 4
        NDArray embedding = m.create(ConditionalUNet.timestepEmbedding(t), new Shape(b, ConditionalUNet.EMBEDDING));
        NDArray condition = conditioning.oneHot(m, batch.labels(), b, size, size);
        NDArray predicted = network.apply(new NDList(xt.concat(condition, 1), embedding));
        return predicted.sub(v).square().mean();
    }

    @Override
    public Shape[] inputShapes(int batch, int size) {
        return ConditionalUNet.inputShapes(batch, size, conditioning.imageChannels());
    }
}
