package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;
import java.util.function.Function;

/**
 * The non-diffusion baseline with the same network: no noise, the timestep fixed, and a pixel loss on x0 directly,
 * so the network learns E[x0 | LR] under L2 (the prior the default sampler starts from), the median under L1.
 */
public final class RegressionObjective implements TrainingObjective<TrainingBatch> {
    private final SuperResolutionDiffusion diffusion;
    private final PixelLoss loss;

    public RegressionObjective(SuperResolutionDiffusion diffusion) {
        this(diffusion, PixelLoss.L2);
    }

    public RegressionObjective(SuperResolutionDiffusion diffusion, PixelLoss loss) {
        this.diffusion = diffusion;
        this.loss = loss;
    }

    @Override
    public String name() {
        return "regression";
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDArray> network, NDManager m, Random random) {
        SuperResolutionObjective.Pair pair = SuperResolutionObjective.pair(batch, m);
        NDArray x0 = diffusion.x0(pair.highRes(), pair.baseline());
        NDArray predicted = network.apply(diffusion.regressionInput(pair.baseline(), pair.codes()));
        return loss.of(predicted, x0);
    }

    @Override
    public Shape[] inputShapes(int batch, int size) {
        return ConditionalUNet.inputShapes(batch, size, diffusion.formulation().imageChannels());
    }
}
