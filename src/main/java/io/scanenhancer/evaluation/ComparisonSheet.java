package io.scanenhancer.evaluation;

import io.scanenhancer.image.FloatImage;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** One row of labelled panels per case: LR, bicubic, regression, diffusion, uncertainty, truth, error. */
public final class ComparisonSheet {
    private static final int LABEL = 18;

    private ComparisonSheet() {
    }

    public record Panel(String label, FloatImage image, boolean signedMap) {
    }

    public static void write(Path file, List<List<Panel>> rows, FloatImage windowFrom) throws IOException {
        int cellW = 0, cellH = 0, cols = 0;
        for (List<Panel> row : rows) {
            cols = Math.max(cols, row.size());
            for (Panel p : row) {
                cellW = Math.max(cellW, p.image().width());
                cellH = Math.max(cellH, p.image().height());
            }
        }
        BufferedImage sheet = new BufferedImage(cols * cellW, rows.size() * (cellH + LABEL), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int r = 0; r < rows.size(); r++) {
            List<Panel> row = rows.get(r);
            FloatImage reference = row.get(row.size() - 2).image(); // the truth sets the grey window of its row
            float[] window = window(reference);
            for (int c = 0; c < row.size(); c++) {
                Panel p = row.get(c);
                float[] w = p.signedMap() ? spreadWindow(p.image()) : window;
                BufferedImage img = grey(p.image(), w[0], w[1], cellW, cellH);
                g.drawImage(img, c * cellW, r * (cellH + LABEL) + LABEL, null);
                g.setColor(Color.WHITE);
                g.drawString(p.label(), c * cellW + 4, r * (cellH + LABEL) + 13);
            }
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(sheet, "png", file.toFile());
    }

    private static float[] window(FloatImage img) {
        float[] s = img.pixels().clone();
        Arrays.sort(s);
        return new float[] {s[(int) (0.005 * (s.length - 1))], s[(int) (0.995 * (s.length - 1))]};
    }

    private static float[] spreadWindow(FloatImage img) {
        float[] s = img.pixels().clone();
        Arrays.sort(s);
        return new float[] {0, Math.max(1e-6f, s[(int) (0.995 * (s.length - 1))])};
    }

    /** Nearest-neighbour scaled to fill the cell, so that LR panels show their real pixels. */
    private static BufferedImage grey(FloatImage img, float lo, float hi, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        double sy = (double) img.height() / h, sx = (double) img.width() / w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = img.at((int) (y * sy), (int) (x * sx));
                int gv = (int) Math.max(0, Math.min(255, (v - lo) / (hi - lo) * 255));
                out.setRGB(x, y, gv << 16 | gv << 8 | gv);
            }
        }
        return out;
    }

    public static FloatImage absoluteError(FloatImage a, FloatImage b) {
        float[] d = new float[a.pixels().length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.abs(a.pixels()[i] - b.pixels()[i]);
        }
        return new FloatImage(a.height(), a.width(), d);
    }
}
