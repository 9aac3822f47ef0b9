package io.scanenhancer.diffusion;

/**
 * How a low-resolution image was made from the high-resolution one, as far as the network needs to know: its code is
 * the value of the constant input channel of a {@link Formulation.DegradationConditioning#CHANNEL} network. The
 * operators themselves live outside this package (io.scanenhancer.enhance: BoxDegradation, KspaceDegradation).
 */
public enum Degradation {
    /** 2x2 box averaging (an image downsampled after reconstruction); classical baseline: bicubic. */
    AREA(0f),
    /** Truncated k-space, magnitude (a low-matrix MR acquisition); classical baseline: zero-filling. */
    KSPACE(1f);

    private final float code;

    Degradation(float code) {
        this.code = code;
    }

    public float code() {
        return code;
    }
}
