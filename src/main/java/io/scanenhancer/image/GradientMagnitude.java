package io.scanenhancer.image;

/**
 * The Sobel gradient magnitude of an image, per pixel, with edge pixels repeated beyond the border. Each Sobel sum is
 * divided by 8, so that a ramp of slope s (intensity per pixel) gives s.
 */
public final class GradientMagnitude {
    private GradientMagnitude() {
    }

    public static float[] of(float[] image, int height, int width) {
        if (image.length != height * width) {
            throw new IllegalArgumentException(image.length + " values for a " + height + "x" + width + " image");
        }
        float[] out = new float[image.length];
        for (int y = 0; y < height; y++) {
            int up = Math.max(0, y - 1) * width, row = y * width, down = Math.min(height - 1, y + 1) * width;
            for (int x = 0; x < width; x++) {
                int l = Math.max(0, x - 1), r = Math.min(width - 1, x + 1);
                double gx = (image[up + r] - image[up + l]) + 2 * (image[row + r] - image[row + l]) + (image[down + r] - image[down + l]);
                double gy = (image[down + l] - image[up + l]) + 2 * (image[down + x] - image[up + x]) + (image[down + r] - image[up + r]);
                out[row + x] = (float) (Math.hypot(gx, gy) / 8);
            }
        }
        return out;
    }
}
