package io.scanenhancer.enhance;

import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.SuperResolutionPipeline;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One plain model folder loaded: the diffusion network, its regression prior (may be null), the pipeline that samples
 * from them and the guard with the folder's threshold. A {@link DiffusionEnhancer} holds one per degradation it runs.
 */
record NetworkPair(Path dir, PretrainedModel model, PretrainedModel prior, SuperResolutionPipeline pipeline,
                   OutOfDistributionGuard guard) {

    static NetworkPair load(Path dir) throws IOException {
        PretrainedModel model = PretrainedModel.load(dir);
        PretrainedModel prior;
        try {
            prior = PretrainedModel.loadPrior(dir);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return new NetworkPair(dir, model, prior, new SuperResolutionPipeline(model, prior, KspaceDegradation.BY_TWO),
                new OutOfDistributionGuard(model.config().guard().maxLossDb()));
    }

    ModelConfig config() {
        return model.config();
    }

    /** The same diffusion network and guard with another prior (an adapted one). */
    NetworkPair withPrior(PretrainedModel otherPrior) {
        return new NetworkPair(dir, model, otherPrior, new SuperResolutionPipeline(model, otherPrior, KspaceDegradation.BY_TWO), guard);
    }

    void close() {
        model.close();
        if (prior != null) {
            prior.close();
        }
    }
}
