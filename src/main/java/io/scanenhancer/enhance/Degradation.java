package io.scanenhancer.enhance;

import io.scanenhancer.image.FloatImage;

import java.util.Arrays;

/**
 * How a low-resolution input was made, which decides the classical interpolation that answers it (and that a model
 * must beat): {@link #AREA} an image resampled after reconstruction (2x2 box average), answered by bicubic;
 * {@link #KSPACE} a low-matrix MR acquisition (the central part of k-space), answered by zero-filled (sinc)
 * interpolation, the one the scanner itself offers (see {@link KspaceDegradation}).
 */
public enum Degradation {
    AREA("area", "bicubic"),
    KSPACE("kspace", "zero-fill");

    /**
     * The default of a request that does not say. AREA keeps every output and derived UID made before the field existed;
     * issue 20 wants KSPACE for MR (what a low-matrix acquisition is) once a model measured for it ships, because on
     * k-space inputs a box-trained model is worse than zero-filling.
     */
    public static final Degradation DEFAULT = AREA;

    private final String id;
    private final String interpolation;

    Degradation(String id, String interpolation) {
        this.id = id;
        this.interpolation = interpolation;
    }

    /** "area" or "kspace": the request field's value. */
    public String id() {
        return id;
    }

    /** Name of the classical interpolation for this degradation: "bicubic" or "zero-fill". */
    public String interpolation() {
        return interpolation;
    }

    /** The classical interpolation of {@code lowResolution} by {@code scale}. */
    public FloatImage interpolate(FloatImage lowResolution, int scale) {
        return this == AREA ? Bicubic.upscale(lowResolution, scale) : KspaceDegradation.zeroFill(lowResolution, scale);
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
