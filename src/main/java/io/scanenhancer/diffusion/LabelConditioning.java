package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * What the label renderer is conditioned on: the one-hot label map of the slice (2-D), or of the slice and
 * {@code neighbours} label maps on each side of it (2.5-D), concatenated to x_t as extra input channels (SR3's
 * conditioning by concatenation, Saharia et al. 2021, section 2.3, with label maps where SR3 has the low-resolution
 * image; SPADE-free, as in the label-to-image baselines of Park et al. 2019). Plane order, everywhere: from the
 * lowest (most inferior) neighbour up, the slice itself in the middle: planes k-n .. k+n.
 *
 * <p>Why one-hot and not the label value as one channel: label values are names, not intensities (white matter 4
 * is not "between" grey matter 3 and deep grey 5), and a one-hot map lets the first convolution learn each tissue's
 * own response.
 *
 * @param classes   label values are 0..classes-1
 * @param neighbours label maps on each side of the slice: 0 (2-D) or more (2.5-D)
 */
public record LabelConditioning(int classes, int neighbours) {
    public LabelConditioning {
        if (classes < 2 || classes > 127 || neighbours < 0) {
            throw new IllegalArgumentException("label conditioning needs 2..127 classes and no negative neighbours, got "
                    + classes + " classes, " + neighbours + " neighbours");
        }
    }

    /** Label maps per image: the slice and its neighbours on both sides. */
    public int planes() {
        return 2 * neighbours + 1;
    }

    /** The network's image input channels: x_t and one channel per class and plane. */
    public int imageChannels() {
        return 1 + planes() * classes;
    }

    /**
     * The one-hot condition of {@code count} images: (count, planes x classes, height, width), channel
     * {@code plane * classes + class} is 1 where that plane holds that class.
     *
     * @param labels count x planes x height x width class indices, as {@link LabelBatch#labels()}
     */
    public NDArray oneHot(NDManager m, byte[] labels, int count, int height, int width) {
        int area = height * width, p = planes();
        if (labels.length != count * p * area) {
            throw new IllegalArgumentException(labels.length + " labels for " + count + " x " + p + " planes of " + height + "x" + width);
        }
        float[] out = new float[count * p * classes * area];
        for (int n = 0; n < count; n++) {
            for (int plane = 0; plane < p; plane++) {
                int in = (n * p + plane) * area;
                for (int i = 0; i < area; i++) {
                    int c = labels[in + i];
                    if (c < 0 || c >= classes) {
                        throw new IllegalArgumentException("label " + c + " outside 0.." + (classes - 1));
                    }
                    out[((n * p + plane) * classes + c) * area + i] = 1f;
                }
            }
        }
        return m.create(out, new Shape(count, (long) p * classes, height, width));
    }
}
