package io.scanenhancer.training;

import io.scanenhancer.volume.HeldOutSlab;

import io.scanenhancer.diffusion.GeneratorBatch;
import io.scanenhancer.diffusion.GeneratorConfig;
import io.scanenhancer.volume.NiftiVolume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Whole axial slices of a 1 mm MRI volume for the generator, outside the {@link HeldOutSlab}: each slice is placed
 * in the middle of a {@link #CANVAS} x {@link #CANVAS} mm canvas and box-averaged by {@link #FACTOR} to a
 * {@link #SIZE} x {@link #SIZE} image of 4 mm pixels, scaled from the volume's 0..255 to [-1, 1].
 *
 * <p>Augmentation stays within what a real head looks like: a left-right mirror, a shift of up to
 * {@link #MAX_SHIFT_MM} mm and the phase of the box grid (so the 4 mm pixels do not always fall on the same
 * millimetres), and a global gain of +-5%. No rotations, no contrast inversion: the generator should learn T1
 * anatomy, not the super-resolution model's robustness.
 */
public final class GeneratorTrainingData {
    public static final int CANVAS = 256;
    public static final int FACTOR = 4;
    public static final int SIZE = CANVAS / FACTOR;
    static final int MAX_SHIFT_MM = 8;
    /** Slices with less head than this (fraction of the canvas above 10% of full scale) are left out. */
    static final double MIN_CONTENT = 0.04;

    private final List<Slice> slices;
    private final int depth;

    /** One training slice: its axial index, and its pixels (rows y, columns x) in the volume's units. */
    public record Slice(int index, int rows, int columns, float[] pixels) {
    }

    private GeneratorTrainingData(List<Slice> slices, int depth) {
        this.slices = slices;
        this.depth = depth;
    }

    public static GeneratorTrainingData load(Path nifti, HeldOutSlab slab) throws IOException {
        NiftiVolume v = NiftiVolume.read(nifti);
        List<Slice> slices = new ArrayList<>();
        for (int k = 0; k < v.nz(); k++) {
            if (slab.excludes(k)) {
                continue;
            }
            float[] px = v.axial(k);
            if (content(px) * v.nx() * v.ny() >= MIN_CONTENT * CANVAS * CANVAS) {
                slices.add(new Slice(k, v.ny(), v.nx(), px));
            }
        }
        if (slices.isEmpty()) {
            throw new IllegalArgumentException(nifti + " has no axial slice with enough content to train on");
        }
        return new GeneratorTrainingData(slices, v.nz());
    }

    private static double content(float[] px) {
        int n = 0;
        for (float p : px) {
            n += p > 25.5f ? 1 : 0;
        }
        return (double) n / px.length;
    }

    public List<Slice> slices() {
        return slices;
    }

    /** The volume's number of axial slices (positions are relative to it). */
    public int depth() {
        return depth;
    }

    public GeneratorBatch nextBatch(Random random, int count) {
        float[] images = new float[count * SIZE * SIZE];
        float[] positions = new float[count];
        for (int n = 0; n < count; n++) {
            Slice s = slices.get(random.nextInt(slices.size()));
            int dy = random.nextInt(2 * MAX_SHIFT_MM + 1) - MAX_SHIFT_MM;
            int dx = random.nextInt(2 * MAX_SHIFT_MM + 1) - MAX_SHIFT_MM;
            float gain = 0.95f + 0.1f * random.nextFloat();
            float[] img = lowResolution(s, dy, dx, random.nextBoolean(), gain);
            System.arraycopy(img, 0, images, n * SIZE * SIZE, img.length);
            positions[n] = GeneratorConfig.position(s.index(), depth);
        }
        return new GeneratorBatch(count, SIZE, images, positions);
    }

    /** Axial slices from..to (inclusive) of a volume, whatever the held-out slab: the evaluation's real references. */
    public static List<Slice> slices(Path nifti, int from, int to) throws IOException {
        NiftiVolume v = NiftiVolume.read(nifti);
        List<Slice> out = new ArrayList<>();
        for (int k = Math.max(0, from); k <= Math.min(v.nz() - 1, to); k++) {
            out.add(new Slice(k, v.ny(), v.nx(), v.axial(k)));
        }
        return out;
    }

    /** The slice centred on the canvas at full resolution (1 mm, 0..255): what the cascade's output is compared with. */
    public static float[] fullResolution(Slice s) {
        int oy = (CANVAS - s.rows()) / 2, ox = (CANVAS - s.columns()) / 2;
        float[] out = new float[CANVAS * CANVAS];
        for (int r = 0; r < s.rows(); r++) {
            System.arraycopy(s.pixels(), r * s.columns(), out, (r + oy) * CANVAS + ox, s.columns());
        }
        return out;
    }

    /** The slice without augmentation, as the generator's output looks for a real slice (memorisation audit, quality). */
    public static float[] lowResolution(Slice s) {
        return lowResolution(s, 0, 0, false, 1f);
    }

    /** Centres the slice on the canvas (shifted by dy, dx mm), optionally mirrored, box-averages it and scales it. */
    static float[] lowResolution(Slice s, int dy, int dx, boolean mirror, float gain) {
        int oy = (CANVAS - s.rows()) / 2 + dy, ox = (CANVAS - s.columns()) / 2 + dx;
        float[] out = new float[SIZE * SIZE];
        float norm = gain / (FACTOR * FACTOR * 127.5f);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double sum = 0;
                for (int by = 0; by < FACTOR; by++) {
                    int r = y * FACTOR + by - oy;
                    if (r < 0 || r >= s.rows()) {
                        continue;
                    }
                    for (int bx = 0; bx < FACTOR; bx++) {
                        int c = x * FACTOR + bx - ox;
                        if (c >= 0 && c < s.columns()) {
                            sum += s.pixels()[r * s.columns() + (mirror ? s.columns() - 1 - c : c)];
                        }
                    }
                }
                out[y * SIZE + x] = (float) Math.min(1, sum * norm - 1);
            }
        }
        return out;
    }
}
