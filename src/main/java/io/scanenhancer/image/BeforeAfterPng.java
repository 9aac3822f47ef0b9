package io.scanenhancer.image;


import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Source slice enlarged by pixel repetition (nearest neighbour, so no detail is invented) beside the derived slice,
 * both shown with the same window (1st to 99th percentile of the source), under a band with {@link #LABEL} burned into
 * the pixels: a preview that leaves the viewer (a screenshot, a report) still says what it is.
 */
public final class BeforeAfterPng {
    private static final int GAP = 8;
    /** Burned in above the derived slice. */
    public static final String LABEL = "AI-enhanced - not for diagnostic use";
    /** Burned in above the source slice. */
    public static final String SOURCE_LABEL = "source (pixels repeated)";
    /** Height of the label band above the images. */
    public static final int LABEL_HEIGHT = 18;

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
        int height = LABEL_HEIGHT + Math.max(source.height() * scaleY, derived.height());
        BufferedImage out = new BufferedImage(leftWidth + GAP + derived.width(), height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < source.height() * scaleY; y++) {
            for (int x = 0; x < leftWidth; x++) {
                out.getRaster().setSample(x, LABEL_HEIGHT + y, 0, grey(source.at(y / scaleY, x / scaleX), lo, hi));
            }
        }
        for (int y = 0; y < derived.height(); y++) {
            for (int x = 0; x < derived.width(); x++) {
                out.getRaster().setSample(leftWidth + GAP + x, LABEL_HEIGHT + y, 0, grey(derived.at(y, x), lo, hi));
            }
        }
        burnIn(out, SOURCE_LABEL, 0, leftWidth);
        burnIn(out, LABEL, leftWidth + GAP, derived.width());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        if (!ImageIO.write(out, "png", bytes)) {
            throw new IOException("no PNG writer");
        }
        return bytes.toByteArray();
    }

    /** White text on the black band, shrunk until it fits the column's width. */
    private static void burnIn(BufferedImage sheet, String text, int left, int width) {
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(Color.WHITE);
            for (int size = 13; size >= 7; size--) {
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
                if (g.getFontMetrics().stringWidth(text) <= width - 4 || size == 7) {
                    break;
                }
            }
            g.setClip(left, 0, width, LABEL_HEIGHT);
            g.drawString(text, left + 2, LABEL_HEIGHT - 5);
        } finally {
            g.dispose();
        }
    }

    private static int grey(float v, float lo, float hi) {
        return Math.max(0, Math.min(255, Math.round((v - lo) / (hi - lo) * 255f)));
    }
}
