package io.scanenhancer.synthesis;

import io.scanenhancer.anatomy.LabelOverlayPng;
import io.scanenhancer.anatomy.TissueLabel;

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

/**
 * The by-eye check of whole studies: one row per stack ({@link FieldStack}: synthetic studies and real ch2 at the same
 * positions), each with its axial slice nearest the brain's centroid, the coronal plane through the centroid and the
 * sagittal plane {@value #SAGITTAL_OFFSET_MM} mm left of it (through a lateral ventricle), first plain and then with
 * the labels over it ({@link LabelOverlayPng#render}). Axial as a DICOM viewer shows it (anterior up, the patient's
 * left on the right), coronal and sagittal with superior up; the coronal and sagittal planes are reformats across the
 * slices, so any slice-to-slice incoherence shows as streaks there.
 */
public final class StudySheetPng {
    static final int SAGITTAL_OFFSET_MM = 12;
    private static final int CAPTION = 20;

    public record Row(String caption, FieldStack stack) {
    }

    private StudySheetPng() {
    }

    public static void write(Path png, List<Row> rows) throws IOException {
        int n = FieldStack.SIZE;
        int height = 0;
        BufferedImage[][] cells = new BufferedImage[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            cells[r] = views(rows.get(r).stack());
            height += CAPTION + Math.max(n, cells[r][1].getHeight());
        }
        int legend = 20 * TissueLabel.values().length + 10;
        BufferedImage sheet = new BufferedImage(6 * n, height + legend, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int top = 0;
        String[] names = {"axial", "coronal", "sagittal " + SAGITTAL_OFFSET_MM + " mm left"};
        for (int r = 0; r < rows.size(); r++) {
            g.setColor(Color.WHITE);
            g.drawString(rows.get(r).caption(), 4, top + 14);
            int rowHeight = 0;
            for (int v = 0; v < 6; v++) {
                g.drawImage(cells[r][v], v * n, top + CAPTION, null);
                g.setColor(Color.YELLOW);
                g.drawString(names[v % 3] + (v >= 3 ? " + labels" : ""), v * n + 4, top + CAPTION + 14);
                rowHeight = Math.max(rowHeight, cells[r][v].getHeight());
            }
            top += CAPTION + Math.max(n, rowHeight);
        }
        int y = top + 16;
        for (TissueLabel l : TissueLabel.values()) {
            g.setColor(new Color(l.rgb() == 0 ? 0x202020 : l.rgb()));
            g.fillRect(6, y - 11, 14, 14);
            g.setColor(Color.WHITE);
            g.drawString(l.value() + "  " + l.description(), 28, y);
            y += 20;
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(sheet, "png", png.toFile());
    }

    /** Axial, coronal, sagittal plain, then the same three with labels. */
    static BufferedImage[] views(FieldStack s) {
        int n = FieldStack.SIZE, slices = s.size();
        int centre = 0;
        for (int i = 1; i < slices; i++) {
            if (Math.abs(s.offsetsMm()[i]) < Math.abs(s.offsetsMm()[centre])) {
                centre = i;
            }
        }
        // axial: the field's row 0 is anterior; the renderer puts the last row on top, so flip first
        float[] ai = new float[n * n];
        byte[] al = new byte[n * n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(s.images().get(centre), r * n, ai, (n - 1 - r) * n, n);
            System.arraycopy(s.labels().get(centre), r * n, al, (n - 1 - r) * n, n);
        }
        int row = n / 2, column = n / 2 + SAGITTAL_OFFSET_MM;
        float[] ci = new float[slices * n], si = new float[slices * n];
        byte[] cl = new byte[slices * n], sl = new byte[slices * n];
        for (int k = 0; k < slices; k++) {
            float[] img = s.images().get(k);
            byte[] lab = s.labels().get(k);
            for (int x = 0; x < n; x++) {
                ci[k * n + x] = img[row * n + x];
                cl[k * n + x] = lab[row * n + x];
                si[k * n + x] = img[x * n + column];
                sl[k * n + x] = lab[x * n + column];
            }
        }
        float max = displayMax(ai);
        return new BufferedImage[] {
                LabelOverlayPng.render(ai, null, n, n, max, 1),
                LabelOverlayPng.render(ci, null, slices, n, max, 1),
                LabelOverlayPng.render(si, null, slices, n, max, 1),
                LabelOverlayPng.render(ai, al, n, n, max, 1),
                LabelOverlayPng.render(ci, cl, slices, n, max, 1),
                LabelOverlayPng.render(si, sl, slices, n, max, 1)};
    }

    /** The 99.5th percentile of the non-zero pixels: the display's white, so that renderers of any scale show alike. */
    static float displayMax(float[] img) {
        float[] v = new float[img.length];
        int m = 0;
        for (float x : img) {
            if (x > 0) {
                v[m++] = x;
            }
        }
        if (m == 0) {
            return 1;
        }
        float[] sorted = Arrays.copyOf(v, m);
        Arrays.sort(sorted);
        return Math.max(1e-3f, sorted[(int) (0.995 * (m - 1))]);
    }
}
