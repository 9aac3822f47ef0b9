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
     * The degradation named by nothing: a request's default outside MR (see {@link #defaultFor}), and the one left out of
     * the derived UIDs' parameters, so that every UID made before the field existed stays as it was.
     */
    public static final Degradation DEFAULT = AREA;

    /** Modalities of series that hold no image to enhance; they do not make a study "not MR". */
    private static final java.util.Set<String> NON_IMAGE = java.util.Set.of("SR", "PR", "KO", "REG", "SEG", "DOC",
            "RTSTRUCT", "RTPLAN", "RTRECORD", "AU", "ECG");

    /**
     * The degradation of a request that does not say, from the modalities of the series it enhances: KSPACE when they
     * are MR (a low-matrix MR image is a truncated k-space, and a box-trained model or bicubic is worse than the
     * zero-filling the scanner offers there), AREA otherwise: CT and other modalities, an unknown modality, and studies
     * that mix MR with another image modality (a request names the degradation where that guess is wrong).
     */
    public static Degradation defaultFor(java.util.Collection<String> modalities) {
        boolean mr = false;
        for (String m : modalities) {
            String v = m == null ? "" : m.trim().toUpperCase(java.util.Locale.ROOT);
            if (v.equals("MR")) {
                mr = true;
            } else if (!NON_IMAGE.contains(v)) {
                return AREA;
            }
        }
        return mr ? KSPACE : AREA;
    }

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
