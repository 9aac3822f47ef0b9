package io.scanenhancer.diffusion;

/**
 * What {@link SuperResolutionPipeline} needs of a k-space input ({@link Degradation#KSPACE}) beyond torch: its noise
 * level, which sets how much of the acquired window the soft data consistency keeps
 * (io.scanenhancer.enhance.KspaceDegradation implements it). Zero-filling and the projection run in torch
 * ({@link KspaceProjection}).
 */
public interface KspaceOperator {
    /** The standard deviation of the white noise in an image (robust to its edges), in the image's units. */
    double noiseSd(float[] image, int height, int width);
}
