package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

import java.util.function.Supplier;

/**
 * DJL keeps every intermediate array until its manager closes (STACK.md): a forward pass of the U-Net held all of its
 * blocks' intermediates at once, about 1 GiB per 434x362 output row. In inference each block runs in an
 * {@link NDScope}, which closes what the block made except its result. Training keeps everything: backward needs it.
 *
 * <p>Inference also runs the timestep MLP on one row when every row has the same timestep (as in sampling): a matrix
 * product of one row and of several rows sums in different orders in libtorch (gemv against gemm), which made a
 * slice's pixels differ in the last bits with the number of slices beside it. One row, broadcast, keeps them equal.
 */
final class InferenceScope {
    private InferenceScope() {
    }

    /** The first row of {@code embedding} (1, E) when all rows equal it; otherwise the whole array. */
    static NDArray sharedRow(NDArray embedding) {
        long rows = embedding.getShape().get(0);
        if (rows == 1) {
            return embedding;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray first = embedding.get("0:1");
            if (!embedding.eq(first).all().getBoolean()) {
                return embedding;
            }
            NDArray copy = first.duplicate();
            NDScope.unregister(copy);
            return copy;
        }
    }

    /** Runs {@code step}; outside training, closes every array it created except the one it returns. */
    static NDArray keep(boolean training, Supplier<NDArray> step) {
        if (training) {
            return step.get();
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray result = step.get();
            NDScope.unregister(result);
            return result;
        }
    }
}
