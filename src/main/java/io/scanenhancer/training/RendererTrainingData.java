package io.scanenhancer.training;

import io.scanenhancer.anatomy.LabelVolume;
import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.diffusion.LabelBatch;
import io.scanenhancer.volume.HeldOutSlab;
import io.scanenhancer.volume.NiftiVolume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Pairs for the label renderer: patches of ch2's axial T1 slices with the tissue labels of the same pixels, and (for
 * 2.5-D) of the {@code neighbours} slices above and below. A slice is a training slice only if every plane it
 * brings (k - n .. k + n) lies outside the held-out slab and its margin ({@link HeldOutSlab#excludes}), so neither
 * the slab's images nor its labels are ever seen, not even as a neighbour.
 *
 * <p>Each pair: a random {@code patch} x {@code patch} window at the volume's 1 mm (at least {@value #MIN_HEAD}
 * of the window inside the head, else another window), a left-right mirror with probability 1/2 (image and every
 * label plane alike), intensities 0..255 scaled to [-1, 1]. No rotation or gain: the renderer should learn T1 as ch2
 * shows it; the anatomy's variation comes from the deformed labels, not from here.
 */
public final class RendererTrainingData {
    /** Axial slices with less head than this fraction of the slice are not training slices. */
    static final double MIN_SLICE_HEAD = 0.04;
    /** A window with less head than this fraction is drawn again (background teaches nothing). */
    static final double MIN_HEAD = 0.25;
    private static final int WINDOW_ATTEMPTS = 20;

    private final int rows, columns, neighbours;
    private final int[] slices;
    private final float[][] images; // by axial index; null where not needed
    private final byte[][] labels;

    /** One pair as drawn, for the tests: where it came from and what it holds. */
    record Pair(int slice, int y, int x, boolean mirrored, float[] image, byte[] labels) {
    }

    private RendererTrainingData(int rows, int columns, int neighbours, int[] slices, float[][] images, byte[][] labels) {
        this.rows = rows;
        this.columns = columns;
        this.neighbours = neighbours;
        this.slices = slices;
        this.images = images;
        this.labels = labels;
    }

    public static RendererTrainingData load(Path nifti, LabelVolume labelVolume, HeldOutSlab slab, int neighbours) throws IOException {
        SuperResolutionTraining.requireTrainable(nifti);
        return of(NiftiVolume.read(nifti), labelVolume, slab, neighbours);
    }

    static RendererTrainingData of(NiftiVolume v, LabelVolume l, HeldOutSlab slab, int neighbours) {
        if (l.nx() != v.nx() || l.ny() != v.ny() || l.nz() != v.nz()) {
            throw new IllegalArgumentException("the tissue labels (" + l.nx() + "x" + l.ny() + "x" + l.nz()
                    + ") are not on the image's grid (" + v.nx() + "x" + v.ny() + "x" + v.nz() + ")");
        }
        if (neighbours < 0) {
            throw new IllegalArgumentException("neighbours must be 0 or more, got " + neighbours);
        }
        List<Integer> kept = new ArrayList<>();
        float[][] images = new float[v.nz()][];
        byte[][] labels = new byte[v.nz()][];
        for (int k = neighbours; k < v.nz() - neighbours; k++) {
            boolean clear = true;
            for (int d = -neighbours; d <= neighbours; d++) {
                clear &= !slab.excludes(k + d);
            }
            byte[] centre = l.axial(k);
            if (!clear || headFraction(centre) < MIN_SLICE_HEAD) {
                continue;
            }
            kept.add(k);
            images[k] = v.axial(k);
            for (int d = -neighbours; d <= neighbours; d++) {
                if (labels[k + d] == null) {
                    labels[k + d] = l.axial(k + d);
                }
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("no axial slice outside the held-out slab has enough head to train on");
        }
        return new RendererTrainingData(v.ny(), v.nx(), neighbours, kept.stream().mapToInt(Integer::intValue).toArray(), images, labels);
    }

    private static double headFraction(byte[] labels) {
        int n = 0;
        for (byte b : labels) {
            n += b == TissueLabel.BACKGROUND.value() ? 0 : 1;
        }
        return (double) n / labels.length;
    }

    /** The training slices' axial indices (the centres of the pairs). */
    public int[] slices() {
        return slices.clone();
    }

    public int neighbours() {
        return neighbours;
    }

    /** Whether any pair reads axial slice k, as image or as a label plane (for the test that the slab is held out). */
    public boolean reads(int k) {
        return k >= 0 && k < labels.length && labels[k] != null;
    }

    public LabelBatch nextBatch(Random random, int count, int patch) {
        int planes = 2 * neighbours + 1, area = patch * patch;
        float[] img = new float[count * area];
        byte[] lab = new byte[count * planes * area];
        for (int n = 0; n < count; n++) {
            Pair p = nextPair(random, patch);
            System.arraycopy(p.image(), 0, img, n * area, area);
            System.arraycopy(p.labels(), 0, lab, n * planes * area, planes * area);
        }
        return new LabelBatch(count, patch, planes, img, lab);
    }

    Pair nextPair(Random random, int patch) {
        if (patch > rows || patch > columns) {
            throw new IllegalArgumentException("patch " + patch + " is larger than a slice (" + rows + "x" + columns + ")");
        }
        int k = slices[random.nextInt(slices.length)];
        byte[] centre = labels[k];
        int y = 0, x = 0;
        for (int attempt = 0; attempt < WINDOW_ATTEMPTS; attempt++) {
            y = random.nextInt(rows - patch + 1);
            x = random.nextInt(columns - patch + 1);
            if (windowHead(centre, y, x, patch) >= MIN_HEAD) {
                break;
            }
        }
        boolean mirror = random.nextBoolean();
        int planes = 2 * neighbours + 1, area = patch * patch;
        float[] image = new float[area];
        byte[] lab = new byte[planes * area];
        float[] source = images[k];
        for (int r = 0; r < patch; r++) {
            for (int c = 0; c < patch; c++) {
                int sc = mirror ? x + patch - 1 - c : x + c;
                int from = (y + r) * columns + sc;
                image[r * patch + c] = Math.max(-1f, Math.min(1f, source[from] / 127.5f - 1f));
                for (int p = 0; p < planes; p++) {
                    lab[p * area + r * patch + c] = labels[k - neighbours + p][from];
                }
            }
        }
        return new Pair(k, y, x, mirror, image, lab);
    }

    private double windowHead(byte[] l, int y, int x, int patch) {
        int n = 0;
        for (int r = y; r < y + patch; r++) {
            for (int c = x; c < x + patch; c++) {
                n += l[r * columns + c] == TissueLabel.BACKGROUND.value() ? 0 : 1;
            }
        }
        return (double) n / (patch * patch);
    }
}
