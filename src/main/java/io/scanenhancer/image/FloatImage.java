package io.scanenhancer.image;

import java.util.Objects;

/** A single-channel image in row-major order. Values are in the source's real-world (modality) units. */
public record FloatImage(int height, int width, float[] pixels) {
    public FloatImage {
        Objects.requireNonNull(pixels, "pixels");
        if (height <= 0 || width <= 0 || (long) height * width != pixels.length) {
            throw new IllegalArgumentException("image " + height + "x" + width + " does not match " + pixels.length + " pixels");
        }
    }

    /** This image without its last row and column where they are odd, so that 2x2 blocks tile it exactly. */
    public FloatImage croppedToEven() {
        int h = height & ~1, w = width & ~1;
        if (h == height && w == width) {
            return this;
        }
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            System.arraycopy(pixels, y * width, out, y * w, w);
        }
        return new FloatImage(h, w, out);
    }

    public float at(int y, int x) {
        return pixels[y * width + x];
    }
}
