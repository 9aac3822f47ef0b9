package io.scanenhancer.training;

import io.scanenhancer.anatomy.Ch2TissueLabels;
import io.scanenhancer.anatomy.LabelVolume;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.volume.NiftiVolume;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The by-eye check of the renderers on one held-out slab slice: the real T1, the four fixed sequence renderings and
 * random renderings (seeds 1..10). Each panel is windowed on its own range, anterior up.
 * Run: {@code java -cp ... io.scanenhancer.training.ContrastSheet [png] [slice]}.
 */
public final class ContrastSheet {
    private static final int CAPTION = 16, COLUMNS = 5;

    private ContrastSheet() {
    }

    public static void main(String[] args) throws IOException {
        Path png = Path.of(args.length > 0 ? args[0] : "models/ch2-tissue-labels/contrasts.png");
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 90;
        NiftiVolume ch2 = NiftiVolume.read(Ch2TissueLabels.TEMPLATES.resolve("ch2.nii.gz"));
        LabelVolume labels = Ch2TissueLabels.load();
        LabelSlice slice = LabelSlice.axial(labels, ch2, k);
        double[] means = Ch2TissueLabels.committedPureMeans();
        List<String> names = new ArrayList<>();
        List<FloatImage> images = new ArrayList<>();
        names.add("real T1 (ch2 axial " + k + ")");
        images.add(new FloatImage(slice.height(), slice.width(), slice.t1()));
        for (SequenceContrast.Sequence s : SequenceContrast.Sequence.values()) {
            names.add(s.name() + " TR " + (int) s.tr + " TE " + (int) s.te + (s.ti > 0 ? " TI " + (int) s.ti : ""));
            images.add(SequenceContrast.render(slice, s, means));
        }
        for (int seed = 1; seed <= 10; seed++) {
            names.add("random, seed " + seed);
            images.add(ContrastRandomisation.render(slice, new Random(seed)));
        }
        write(png, names, images);
    }

    static void write(Path png, List<String> names, List<FloatImage> images) throws IOException {
        int w = images.get(0).width(), h = images.get(0).height(), rows = (images.size() + COLUMNS - 1) / COLUMNS;
        BufferedImage sheet = new BufferedImage(COLUMNS * w, rows * (h + CAPTION), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int n = 0; n < images.size(); n++) {
            int left = (n % COLUMNS) * w, top = (n / COLUMNS) * (h + CAPTION);
            FloatImage img = images.get(n);
            float max = 0;
            for (float v : img.pixels()) {
                max = Math.max(max, v);
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = Math.max(0, Math.min(255, Math.round(255 * img.at(y, x) / max)));
                    sheet.setRGB(left + x, top + CAPTION + (h - 1 - y), v << 16 | v << 8 | v);
                }
            }
            g.setColor(Color.WHITE);
            g.drawString(names.get(n), left + 3, top + 12);
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(sheet, "png", png.toFile());
    }
}
