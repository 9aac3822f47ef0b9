package io.scanenhancer.diffusion;

/**
 * A batch of training pairs in normalised intensity: {@code count} high-resolution patches of size x size and their
 * degraded low-resolution counterparts of (size/2) x (size/2), each row-major and concatenated.
 */
public record TrainingBatch(int count, int size, float[] highRes, float[] lowRes) {
    public TrainingBatch {
        if (highRes.length != count * size * size || lowRes.length != count * (size / 2) * (size / 2)) {
            throw new IllegalArgumentException("batch arrays do not match " + count + " x " + size + "^2");
        }
    }
}
