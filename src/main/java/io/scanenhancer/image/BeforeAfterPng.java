package io.scanenhancer.image;


import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Source slice enlarged by pixel repetition (nearest neighbour, so no detail is invented) beside the derived slice,
 * both shown with the same window (1st to 99th percentile of the source).
 */
public final class BeforeAfterPng {
    private static final int GAP = 8;

    private BeforeAfterPng() {
    }

    public static void write(FloatImage source, FloatImage derived, Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, png(source, derived));
    }

    /** The sheet as PNG bytes (the REST API's preview). */
    public static byte[] png(FloatImage source, FloatImage derived) throws IOException {
        int scaleY = Math.max(1, derived.height() / source.height());
        int scaleX = Math.max(1, derived.width() / source.width());
        float[] sorted = source.pixels().clone();
        Arrays.sort(sorted);
        float lo = sorted[(int) (0.01 * (sorted.length - 1))];
        float hi = sorted[(int) (0.99 * (sorted.length - 1))];
        if (hi <= lo) {
            hi = lo + 1;
        }
        int leftWidth = source.width() * scaleX;
        int height = Math.max(source.height() * scaleY, derived.height());
        BufferedImage out = new BufferedImage(leftWidth + GAP + derived.width(), height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < source.height() * scaleY; y++) {
            for (int x = 0; x < leftWidth; x++) {
                out.getRaster().setSample(x, y, 0, grey(source.at(y / scaleY, x / scaleX), lo, hi));
            }
        }
        for (int y = 0; y < derived.height(); y++) {
            for (int x = 0; x < derived.width(); x++) {
                out.getRaster().setSample(leftWidth + GAP + x, y, 0, grey(derived.at(y, x), lo, hi));
            }
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        if (!ImageIO.write(out, "png", bytes)) {
            throw new IOException("no PNG writer");
        }
        return bytes.toByteArray();
    }

    private static int grey(float v, float lo, float hi) {
        return Math.max(0, Math.min(255, Math.round((v - lo) / (hi - lo) * 255f)));
    }
}
