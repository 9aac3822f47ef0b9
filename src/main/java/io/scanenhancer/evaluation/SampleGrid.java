package io.scanenhancer.evaluation;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Labelled rows of square grey images on one fixed window (0..255), so that synthetic and real compare fairly. */
public final class SampleGrid {
    private static final int LABEL = 18;

    private SampleGrid() {
    }

    public record Row(String label, List<float[]> images) {
    }

    public static void write(Path file, List<Row> rows, int size, int columns) throws IOException {
        BufferedImage sheet = new BufferedImage(columns * size, rows.size() * (size + LABEL), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int top = r * (size + LABEL);
            g.setColor(Color.WHITE);
            g.drawString(row.label(), 4, top + 13);
            for (int c = 0; c < Math.min(columns, row.images().size()); c++) {
                float[] img = row.images().get(c);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int v = Math.max(0, Math.min(255, Math.round(img[y * size + x])));
                        sheet.setRGB(c * size + x, top + LABEL + y, (v << 16) | (v << 8) | v);
                    }
                }
            }
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(sheet, "png", file.toFile());
    }
}
