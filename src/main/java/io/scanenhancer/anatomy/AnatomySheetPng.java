package io.scanenhancer.anatomy;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The by-eye check of drawn anatomies: one row per head, its labels in colour on three planes through its brain
 * centroid (axial; coronal; sagittal {@value #SAGITTAL_OFFSET_MM} mm left of the centroid, through a lateral
 * ventricle), 1 mm per pixel over {@value #FIELD_MM} mm, shown as a viewer shows DICOM: axial with anterior up and the
 * patient's left on the right, coronal and sagittal with superior up.
 */
public final class AnatomySheetPng {
    static final int FIELD_MM = 230;
    static final double SAGITTAL_OFFSET_MM = 12;
    private static final int CAPTION = 34;

    /** One row: a caption and the head. */
    public record Row(String caption, DeformedAnatomy anatomy) {
    }

    private AnatomySheetPng() {
    }

    public static void write(Path png, List<Row> rows) throws IOException {
        int cell = FIELD_MM, legend = 22 * TissueLabel.values().length;
        BufferedImage sheet = new BufferedImage(3 * cell, rows.size() * (cell + CAPTION) + legend, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int r = 0; r < rows.size(); r++) {
            DeformedAnatomy a = rows.get(r).anatomy();
            double[] c = a.extent().brainCentroid();
            int top = r * (cell + CAPTION);
            g.setColor(Color.WHITE);
            g.drawString(rows.get(r).caption(), 4, top + 14);
            g.drawString("axial z=" + Math.round(c[2]) + "  |  coronal y=" + Math.round(c[1]) + "  |  sagittal x="
                    + Math.round(c[0] + SAGITTAL_OFFSET_MM) + " (patient mm)", 4, top + 29);
            for (int view = 0; view < 3; view++) {
                g.drawImage(view(a, view, c), view * cell, top + CAPTION, null);
            }
        }
        int y = rows.size() * (cell + CAPTION) + 16;
        for (TissueLabel l : TissueLabel.values()) {
            g.setColor(new Color(l.rgb() == 0 ? 0x202020 : l.rgb()));
            g.fillRect(6, y - 11, 14, 14);
            g.setColor(Color.WHITE);
            g.drawString(l.value() + "  " + l.description(), 28, y);
            y += 22;
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(sheet, "png", png.toFile());
    }

    /** view 0 axial, 1 coronal, 2 sagittal; pixel (row, col) mapped to a patient point. */
    static BufferedImage view(DeformedAnatomy a, int view, double[] c) {
        int n = FIELD_MM;
        BufferedImage out = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        double half = n / 2.0;
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < n; col++) {
                double u = col - half, v = row - half;
                int label = switch (view) {
                    // axial: right of the image = patient left (+x), top = anterior (-y)
                    case 0 -> a.labelAt(c[0] + u, c[1] + v, c[2]);
                    // coronal: right = patient left, top = superior (+z)
                    case 1 -> a.labelAt(c[0] + u, c[1], c[2] - v);
                    // sagittal: right = posterior (+y), top = superior
                    default -> a.labelAt(c[0] + SAGITTAL_OFFSET_MM, c[1] + u, c[2] - v);
                };
                out.setRGB(col, row, TissueLabel.of(label).rgb());
            }
        }
        return out;
    }
}
