package io.scanenhancer.anatomy;

import io.scanenhancer.volume.NiftiVolume;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The by-eye check of a label volume: axial, coronal and sagittal slices of the image, each shown plain and with the
 * labels in colour over it, and a legend. Slices are shown superior / anterior up, in neurological convention
 * (the subject's left on the left), at 2x so that one-voxel structures are visible.
 */
public final class LabelOverlayPng {
    private static final int ZOOM = 2;
    private static final int CAPTION = 18;
    private static final double ALPHA = 0.45;

    private LabelOverlayPng() {
    }

    /** Three views through voxel (i, j, k), each plain above and overlaid below. */
    public static void write(Path png, NiftiVolume image, LabelVolume labels, int i, int j, int k, float greyMax)
            throws IOException {
        BufferedImage[] plain = {
                render(image.axial(k), null, image.ny(), image.nx(), greyMax),
                render(image.coronal(j), null, image.nz(), image.nx(), greyMax),
                render(image.sagittal(i), null, image.nz(), image.ny(), greyMax)};
        BufferedImage[] overlay = {
                render(image.axial(k), labels.axial(k), image.ny(), image.nx(), greyMax),
                render(image.coronal(j), labels.coronal(j), image.nz(), image.nx(), greyMax),
                render(image.sagittal(i), labels.sagittal(i), image.nz(), image.ny(), greyMax)};
        String[] names = {"axial k=" + k, "coronal j=" + j, "sagittal i=" + i};
        int cellW = 0, cellH = 0;
        for (BufferedImage b : plain) {
            cellW = Math.max(cellW, b.getWidth());
            cellH = Math.max(cellH, b.getHeight());
        }
        int legend = 20 * TissueLabel.values().length + 10;
        BufferedImage sheet = new BufferedImage(3 * cellW, 2 * (cellH + CAPTION) + legend, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < 2; r++) {
                int top = r * (cellH + CAPTION);
                g.setColor(Color.WHITE);
                g.drawString(names[c] + (r == 1 ? " + labels" : ""), c * cellW + 4, top + 13);
                g.drawImage(r == 0 ? plain[c] : overlay[c], c * cellW, top + CAPTION, null);
            }
        }
        int y = 2 * (cellH + CAPTION) + 16;
        for (TissueLabel l : TissueLabel.values()) {
            g.setColor(new Color(l.rgb()));
            g.fillRect(6, y - 11, 14, 14);
            g.setColor(Color.WHITE);
            g.drawString(l.value() + "  " + l.description(), 28, y);
            y += 20;
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(sheet, "png", png.toFile());
    }

    /** One slice, rows flipped so that the last row of the volume (superior or anterior) is at the top. */
    static BufferedImage render(float[] grey, byte[] labels, int rows, int cols, float greyMax) {
        return render(grey, labels, rows, cols, greyMax, ZOOM);
    }

    /**
     * One slice at {@code zoom} screen pixels per pixel, labels (null: none) blended over it in their colours, rows
     * flipped so that the last row is at the top.
     */
    public static BufferedImage render(float[] grey, byte[] labels, int rows, int cols, float greyMax, int zoom) {
        BufferedImage out = new BufferedImage(cols * zoom, rows * zoom, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int p = r * cols + c;
                int v = Math.max(0, Math.min(255, Math.round(255 * grey[p] / greyMax)));
                int red = v, green = v, blue = v;
                if (labels != null && labels[p] > 0) {
                    int rgb = TissueLabel.of(labels[p]).rgb();
                    red = blend(v, rgb >> 16 & 0xff);
                    green = blend(v, rgb >> 8 & 0xff);
                    blue = blend(v, rgb & 0xff);
                }
                int colour = red << 16 | green << 8 | blue;
                for (int dy = 0; dy < zoom; dy++) {
                    for (int dx = 0; dx < zoom; dx++) {
                        out.setRGB(c * zoom + dx, (rows - 1 - r) * zoom + dy, colour);
                    }
                }
            }
        }
        return out;
    }

    private static int blend(int grey, int colour) {
        return (int) Math.round((1 - ALPHA) * grey + ALPHA * colour);
    }
}
