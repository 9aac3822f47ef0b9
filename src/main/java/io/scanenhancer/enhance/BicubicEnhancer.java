package io.scanenhancer.enhance;

import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.image.FloatImage;

/** The interpolation baseline; also what the out-of-distribution guard falls back to. */
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
        return new EnhancedImage(Bicubic.upscale(lowResolution, scale), null, "bicubic", false, 0, false);
    }
}
