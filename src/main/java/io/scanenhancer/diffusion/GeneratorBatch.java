package io.scanenhancer.diffusion;

/**
 * A batch of whole training slices for the generator: {@code count} images of size x size in [-1, 1] (row-major,
 * concatenated) and each slice's position along the head's axis in [-1, 1].
 */
public record GeneratorBatch(int count, int size, float[] images, float[] positions) {
    public GeneratorBatch {
        if (images.length != count * size * size || positions.length != count) {
            throw new IllegalArgumentException("batch arrays do not match " + count + " x " + size + "^2");
        }
    }
}
