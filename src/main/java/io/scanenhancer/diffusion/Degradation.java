package io.scanenhancer.diffusion;

import java.util.Arrays;

/**
 * How a low-resolution input was made from the high-resolution image: the one description the request field, the
 * derived UIDs, the classical fall-back, the training pairs and the network's conditioning channel all read.
 * {@link #AREA}: an image resampled after reconstruction (2x2 box average), answered classically by bicubic;
 * {@link #KSPACE}: a low-matrix MR acquisition (the central part of k-space, magnitude), answered by zero-filled (sinc)
 * interpolation, the one the scanner itself offers. The operators themselves live outside this pure-DJL package
 * (io.scanenhancer.enhance: BoxDegradation, KspaceDegradation, ClassicalInterpolation); the sampler meets them through
 * {@link ConditionedInput}.
 */
public enum Degradation {
    AREA("area", "bicubic", 0f),
    KSPACE("kspace", "zero-fill", 1f);

    /**
     * The default of a request that does not say. AREA keeps every output and derived UID made before the field existed;
     * issue 20 wants KSPACE for MR (what a low-matrix acquisition is) once a model measured for it ships, because on
     * k-space inputs a box-trained model is worse than zero-filling.
     */
    public static final Degradation DEFAULT = AREA;

    private final String id;
    private final String interpolation;
    private final float code;

    Degradation(String id, String interpolation, float code) {
        this.id = id;
        this.interpolation = interpolation;
        this.code = code;
    }

    /** "area" or "kspace": the request field's value and the model config's {@code degradations} entry. */
    public String id() {
        return id;
    }

    /** Name of the classical interpolation for this degradation: "bicubic" or "zero-fill". */
    public String interpolation() {
        return interpolation;
    }

    /** The value of the constant input channel of a {@link Formulation.DegradationConditioning#CHANNEL} network. */
    public float code() {
        return code;
    }

    /** @throws IllegalArgumentException for anything but "area" or "kspace" */
    public static Degradation of(String id) {
        for (Degradation d : values()) {
            if (d.id.equals(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown degradation '" + id + "' (known: " + ids() + ")");
    }

    /** "area, kspace". */
    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(Degradation::id).toList());
    }
}
