package io.scanenhancer.enhance;

import io.scanenhancer.diffusion.Degradation;

import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.image.SpreadMethod;

import java.util.ArrayList;
import java.util.List;

/** Turns a low-resolution image into one {@link #scale()} times larger. Knows nothing of DICOM. */
public interface Enhancer extends AutoCloseable {

    /** Stable identifier of the algorithm or model, e.g. "bicubic" or "sr3-mri-t1". */
    String modelId();

    /** Version of the weights or algorithm; changes whenever outputs may change. */
    String modelVersion();

    int scale();

    EnhancedImage enhance(FloatImage lowResolution, EnhanceSettings settings);

    /**
     * The key settings in short form for the derived Series Description, e.g. "ddim1 seed0" (sampler and steps, seed)
     * or "bicubic": what tells two derivations of one source apart at a glance.
     */
    default String settingsLabel(EnhanceSettings settings) {
        return modelId();
    }

    /**
     * Whether a learned model, not a classical interpolation, answers inputs made by {@code d}: a model runs only on
     * the degradations it was trained for. The classical interpolations ({@link ClassicalInterpolation}) have no
     * posterior spread, so an uncertainty series needs this to be true.
     */
    default boolean runsModelFor(Degradation d) {
        return false;
    }

    /**
     * The calibration factor by which the posterior spreads of inputs made by {@code d} are multiplied before they are
     * returned (1: published as sampled).
     */
    default double spreadFactor(Degradation d) {
        return 1.0;
    }

    /** How the spreads of inputs made by {@code d} are made (the posterior's standard deviation unless a model says). */
    default SpreadMethod spreadMethod(Degradation d) {
        return SpreadMethod.POSTERIOR;
    }

    /** Enhances several images; implementations may batch them. */
    default List<EnhancedImage> enhanceAll(List<FloatImage> images, EnhanceSettings settings) {
        List<EnhancedImage> out = new ArrayList<>(images.size());
        for (FloatImage image : images) {
            out.add(enhance(image, settings));
        }
        return out;
    }

    @Override
    default void close() {
    }
}
