package io.scanenhancer.diffusion;

/**
 * A batch of training pairs in normalised intensity: {@code count} high-resolution patches of size x size and their
 * degraded low-resolution counterparts of (size/2) x (size/2), each row-major and concatenated.
 *
 * @param degradation per pair, {@link Degradation#code()} of how its low-resolution image was made; null: all
 *                    {@link Degradation#AREA} (v2's batches)
 * @param baseline    null when every pair is AREA; else count x size x size, each {@link Degradation#KSPACE} pair's
 *                    classical upsampling (zero-filling, computed outside this package), zeros for AREA pairs, whose
 *                    baseline stays libtorch's bicubic as in v2 ({@link SuperResolutionDiffusion#condition})
 */
public record TrainingBatch(int count, int size, float[] highRes, float[] lowRes, float[] degradation, float[] baseline) {
    public TrainingBatch {
        if (highRes.length != count * size * size || lowRes.length != count * (size / 2) * (size / 2)) {
            throw new IllegalArgumentException("batch arrays do not match " + count + " x " + size + "^2");
        }
        if (degradation != null && degradation.length != count || baseline != null && baseline.length != highRes.length) {
            throw new IllegalArgumentException("degradation codes or baselines do not match " + count + " x " + size + "^2");
        }
        if (baseline != null && degradation == null) {
            throw new IllegalArgumentException("baselines without the degradation codes that say which rows they serve");
        }
        if (baseline == null && degradation != null) {
            for (float d : degradation) {
                if (d != Degradation.AREA.code()) {
                    throw new IllegalArgumentException("a k-space pair needs its zero-filled baseline");
                }
            }
        }
    }

    /** A batch of area (box-averaged) pairs only, as v2 trained on. */
    public TrainingBatch(int count, int size, float[] highRes, float[] lowRes) {
        this(count, size, highRes, lowRes, null, null);
    }
}
