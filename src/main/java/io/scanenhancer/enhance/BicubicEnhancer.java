package io.scanenhancer.enhance;

import io.scanenhancer.diffusion.Degradation;

import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.image.FloatImage;

/**
 * The classical baseline: the interpolation that suits the input's degradation (bicubic for area, zero-filling for
 * kspace; see {@link Degradation}). Its id stays "bicubic" so that derived UIDs made before kspace existed keep theirs.
 */
public final class BicubicEnhancer implements Enhancer {
    public static final String ID = "bicubic";
    private final int scale;

    public BicubicEnhancer(int scale) {
        this.scale = scale;
    }

    @Override
    public String modelId() {
        return ID;
    }

    @Override
    public String modelVersion() {
        return "1";
    }

    @Override
    public int scale() {
        return scale;
    }

    @Override
    public EnhancedImage enhance(FloatImage lowResolution, EnhanceSettings settings) {
        Degradation d = settings.degradationOrDefault();
        return new EnhancedImage(ClassicalInterpolation.upscale(d, lowResolution, scale), null, d.interpolation(), false, 0, false);
    }

    /** "bicubic" or "zero-fill": what made the pixels. */
    @Override
    public String settingsLabel(EnhanceSettings settings) {
        return settings.degradationOrDefault().interpolation();
    }
}
