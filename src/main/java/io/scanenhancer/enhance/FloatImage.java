package io.scanenhancer.enhance;

import java.util.Objects;

/** A single-channel image in row-major order. Values are in the source's real-world (modality) units. */
public record FloatImage(int height, int width, float[] pixels) {
    public FloatImage {
        Objects.requireNonNull(pixels, "pixels");
        if (height <= 0 || width <= 0 || (long) height * width != pixels.length) {
            throw new IllegalArgumentException("image " + height + "x" + width + " does not match " + pixels.length + " pixels");
        }
    }

    public float at(int y, int x) {
        return pixels[y * width + x];
    }
}
