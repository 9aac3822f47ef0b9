package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * A batch of low-resolution inputs as the sampler meets them: how they were made, their classical upsampling (the
 * network's condition and, for the residual target, the baseline it refines) and the projection onto the
 * high-resolution images consistent with them (data consistency). Arrays are (B, 1, h, w) and (B, 1, 2h, 2w) in
 * normalised intensity.
 *
 * @param baseline   what the network was trained to see beside x_t: bicubic for AREA (libtorch's, as in training),
 *                   zero-filling of the unpadded input for KSPACE
 * @param projection onto {z : D(z) = lowRes} for the input's degradation operator D
 */
public record ConditionedInput(Degradation degradation, NDArray lowRes, NDArray baseline, Projection projection) {

    /** Projection of high-resolution estimates onto the images whose degradation reproduces the input. */
    @FunctionalInterface
    public interface Projection {
        NDArray apply(NDArray highRes, NDArray lowRes);

        /**
         * The projection applied twice, for the sampler's last step. A hard projection is idempotent and needs no
         * second pass; a soft one says here what two passes make in one.
         */
        default NDArray applyTwice(NDArray highRes, NDArray lowRes) {
            return apply(highRes, lowRes);
        }
    }

    /** An AREA batch: bicubic condition, box-average consistency (a hard projection), both computed here. */
    public static ConditionedInput area(NDArray lowRes) {
        return new ConditionedInput(Degradation.AREA, lowRes, ImageOps.bicubicUp(lowRes), ImageOps::projectConsistent);
    }

    /** The projection of {@code highRes} onto this batch's consistent set. */
    public NDArray project(NDArray highRes) {
        return projection.apply(highRes, lowRes);
    }

    /** {@code project(project(highRes))}, in one pass where the projection allows it. */
    public NDArray projectTwice(NDArray highRes) {
        return projection.applyTwice(highRes, lowRes);
    }
}
