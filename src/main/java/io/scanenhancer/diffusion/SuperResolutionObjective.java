package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;
import java.util.function.Function;

/**
 * 2x super-resolution by diffusion: || v_theta(x_t, baseline(LR), t) - v ||^2 with x0 = k (HR - baseline(LR)) (Ho et
 * al. 2020, Algorithm 1, with the v target of Salimans and Ho 2022; see {@link SuperResolutionDiffusion}). The
 * baseline is each pair's classical upsampling (bicubic for AREA pairs, zero-filling for KSPACE pairs); the
 * {@link Formulation} may make x0 the image itself and add the degradation channel; the loss may be L1.
 */
public final class SuperResolutionObjective implements TrainingObjective<TrainingBatch> {
    /** Half the timestep draws fall in this first fraction of the schedule. */
    static final double LOW_NOISE_FRACTION = 0.3;

    private final SuperResolutionDiffusion diffusion;
    private final PixelLoss loss;

    public SuperResolutionObjective(SuperResolutionDiffusion diffusion) {
        this(diffusion, PixelLoss.L2);
    }

    public SuperResolutionObjective(SuperResolutionDiffusion diffusion, PixelLoss loss) {
        this.diffusion = diffusion;
        this.loss = loss;
    }

    @Override
    public String name() {
        return "diffusion";
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDArray> network, NDManager m, Random random) {
        Pair pair = pair(batch, m);
        NDArray x0 = diffusion.x0(pair.highRes(), pair.baseline());
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
        NDArray predicted = network.apply(new NDList(diffusion.networkImage(xt, pair.baseline(), pair.codes()), embedding));
        return loss.of(predicted, v);
    }

    @Override
    public Shape[] inputShapes(int batch, int size) {
        return ConditionalUNet.inputShapes(batch, size, diffusion.formulation().imageChannels());
    }

    /**
     * Half the draws are uniform over all timesteps (every sampler stays valid), half uniform over the first 30%:
     * the low-noise levels that sampling from the regression prior visits get twice the training signal.
     */
    private int sampleTimestep(Random random) {
        int total = diffusion.schedule().trainTimesteps();
        return random.nextBoolean() ? random.nextInt(total) : random.nextInt(Math.max(1, (int) (LOW_NOISE_FRACTION * total)));
    }

    /**
     * A batch as arrays: high-resolution (B, 1, size, size), each pair's baseline upsampling of the same shape, and
     * the degradation codes (B, 1, 1, 1), null when every pair is AREA.
     */
    record Pair(NDArray highRes, NDArray baseline, NDArray codes) {
    }

    static Pair pair(TrainingBatch batch, NDManager m) {
        int half = batch.size() / 2;
        Shape image = new Shape(batch.count(), 1, batch.size(), batch.size());
        NDArray highRes = m.create(batch.highRes(), image);
        NDArray bicubic = SuperResolutionDiffusion.condition(m.create(batch.lowRes(), new Shape(batch.count(), 1, half, half)));
        NDArray codes = batch.degradation() == null ? null : m.create(batch.degradation(), new Shape(batch.count(), 1, 1, 1));
        if (batch.baseline() == null) {
            return new Pair(highRes, bicubic, codes);
        }
        // per row: bicubic where the pair is AREA (code 0), the given zero-filling where it is KSPACE (code 1)
        NDArray kspace = codes.eq(m.create(Degradation.KSPACE.code())).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray baseline = bicubic.mul(m.ones(kspace.getShape()).sub(kspace)).add(m.create(batch.baseline(), image).mul(kspace));
        return new Pair(highRes, baseline, codes);
    }
}
