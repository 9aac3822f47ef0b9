package io.scanenhancer.training;

import java.util.Random;

/**
 * Where a {@link TrainingLoop} gets its batches (the Dataset and DataLoader of denoising-diffusion-pytorch's
 * Trainer). Augmentation, degradation and contrast randomisation belong behind it, drawn from the stream given.
 *
 * @param <B> the batch type the networks' objectives read
 */
@FunctionalInterface
public interface BatchSource<B> {

    /** @param random the step's own stream: a function of the loop's seed and the step, so a resume is exact */
    B next(Random random);
}
