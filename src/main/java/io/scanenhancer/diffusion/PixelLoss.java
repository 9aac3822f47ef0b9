package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;

/** The per-pixel loss of an objective: mean squared (v2) or mean absolute error. No Java-number operands (STACK.md). */
public enum PixelLoss {
    L2, L1;

    public NDArray of(NDArray predicted, NDArray target) {
        NDArray d = predicted.sub(target);
        return (this == L2 ? d.square() : d.abs()).mean();
    }
}
