package io.scanenhancer.enhance;

import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.image.FloatImage;

/**
 * The classical interpolation that answers a degradation, and that a model must beat: bicubic for {@link Degradation#AREA},
 * zero-filled (sinc) interpolation for {@link Degradation#KSPACE} (see {@link KspaceDegradation}).
 */
public final class ClassicalInterpolation {
    private ClassicalInterpolation() {
    }

    /** The classical interpolation of {@code lowResolution} by {@code scale}. */
    public static FloatImage upscale(Degradation degradation, FloatImage lowResolution, int scale) {
        return degradation == Degradation.AREA ? Bicubic.upscale(lowResolution, scale) : KspaceDegradation.zeroFill(lowResolution, scale);
    }
}
