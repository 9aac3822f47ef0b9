package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.Random;
import java.util.function.Function;

/**
 * The non-diffusion baseline with the same network: no noise, the timestep fixed, and an L2 loss on x0 directly,
 * so the network learns E[x0 | LR] (the prior the default sampler starts from).
 */
public final class RegressionObjective implements TrainingObjective<TrainingBatch> {
    private final SuperResolutionDiffusion diffusion;

    public RegressionObjective(SuperResolutionDiffusion diffusion) {
        this.diffusion = diffusion;
    }

    @Override
    public String name() {
        return "regression";
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDArray> network, NDManager m, Random random) {
        NDArray[] pair = SuperResolutionObjective.pair(batch, m);
        NDArray cond = SuperResolutionDiffusion.condition(pair[1]);
        NDArray x0 = diffusion.residual(pair[0], cond);
        NDArray predicted = network.apply(diffusion.regressionInput(cond));
        return predicted.sub(x0).square().mean();
    }
}
