package io.scanenhancer.diffusion;

/**
 * A batch of image patches with their label maps, for the label-conditioned renderer: {@code count} images of
 * size x size in [-1, 1] (row-major, concatenated) and, per image, {@code planes} label maps of the same pixels (the
 * slice itself and its neighbours, in the order {@link LabelConditioning} gives), each value a class index
 * 0..classes-1.
 */
public record LabelBatch(int count, int size, int planes, float[] images, byte[] labels) {
    public LabelBatch {
        if (images.length != count * size * size || labels.length != count * planes * size * size) {
            throw new IllegalArgumentException("batch arrays do not match " + count + " x " + planes + " planes x " + size + "^2");
        }
    }
}
