package io.scanenhancer.training;

import io.scanenhancer.volume.HeldOutSlab;

import io.scanenhancer.diffusion.IntensityNormalisation;
import io.scanenhancer.diffusion.TrainingBatch;
import io.scanenhancer.volume.NiftiVolume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Training pairs from a native-resolution MRI volume: 2D images in all three orientations outside the
 * {@link HeldOutSlab}, augmented so that the model meets data it has never seen (see {@link Augmentation}),
 * degraded by 2x2 box averaging, normalised per image exactly as at inference, and cut into patches.
 */
public final class MriTrainingData {
    private final List<TrainingRegion> regions;
    private final long totalArea;
    private final double lowPercentile;
    private final double highPercentile;

    private MriTrainingData(List<TrainingRegion> regions, double lowPercentile, double highPercentile) {
        this.regions = regions;
        this.totalArea = regions.stream().mapToLong(r -> (long) r.height() * r.width()).sum();
        this.lowPercentile = lowPercentile;
        this.highPercentile = highPercentile;
    }

    public static MriTrainingData load(Path nifti, HeldOutSlab slab, double lowPercentile, double highPercentile)
            throws IOException {
        NiftiVolume v = NiftiVolume.read(nifti);
        List<TrainingRegion> regions = new ArrayList<>();
        for (int k = 0; k < v.nz(); k++) {
            if (!slab.excludes(k)) {
                regions.add(new TrainingRegion("axial " + k, v.ny(), v.nx(), v.axial(k), k, k));
            }
        }
        for (int j = 0; j < v.ny(); j++) {
            addOutsideSlab(regions, "coronal " + j, v.coronal(j), v.nz(), v.nx(), slab);
        }
        for (int i = 0; i < v.nx(); i++) {
            addOutsideSlab(regions, "sagittal " + i, v.sagittal(i), v.nz(), v.ny(), slab);
        }
        return new MriTrainingData(regions, lowPercentile, highPercentile);
    }

    /** Rows are k; keeps the rows below and above the excluded range as two separate images. */
    private static void addOutsideSlab(List<TrainingRegion> out, String name, float[] slice, int rows, int cols, HeldOutSlab slab) {
        int[][] parts = {{0, slab.excludedFrom()}, {slab.excludedTo(), rows}};
        for (int[] p : parts) {
            int h = p[1] - p[0];
            if (h < 16) {
                continue;
            }
            float[] px = new float[h * cols];
            System.arraycopy(slice, p[0] * cols, px, 0, px.length);
            out.add(new TrainingRegion(name + " rows " + p[0] + ".." + (p[1] - 1), h, cols, px, p[0], p[1] - 1));
        }
    }

    public int regionCount() {
        return regions.size();
    }

    /** Whether any training image covers axial slice k (for the test that the slab is really held out). */
    public boolean coversAxialSlice(int k) {
        for (TrainingRegion r : regions) {
            if (k >= r.firstAxialSlice() && k <= r.lastAxialSlice()) {
                return true;
            }
        }
        return false;
    }

    public TrainingBatch nextBatch(Random random, int count, int patch) {
        int half = patch / 2;
        float[] hr = new float[count * patch * patch];
        float[] lr = new float[count * half * half];
        for (int n = 0; n < count; n++) {
            Pair p = nextPair(random, patch);
            System.arraycopy(p.hr, 0, hr, n * patch * patch, patch * patch);
            System.arraycopy(p.lr, 0, lr, n * half * half, half * half);
        }
        return new TrainingBatch(count, patch, hr, lr);
    }

    private record Pair(float[] hr, float[] lr) {
    }

    private Pair nextPair(Random random, int patch) {
        for (int attempt = 0; ; attempt++) {
            TrainingRegion region = pickRegion(random);
            if (region.height() < patch || region.width() < patch) {
                continue;
            }
            Augmentation.Result a = Augmentation.apply(region, random);
            IntensityNormalisation norm = IntensityNormalisation.fit(a.lowRes(), lowPercentile, highPercentile);
            int y = 2 * random.nextInt((a.height() - patch) / 2 + 1);
            int x = 2 * random.nextInt((a.width() - patch) / 2 + 1);
            float[] hr = crop(a.highRes(), a.width(), y, x, patch);
            // mostly-empty patches teach nothing; keep a few so the background is not a surprise
            if (attempt < 8 && mostlyEmpty(hr, a.highResMax()) && random.nextFloat() > 0.1f) {
                continue;
            }
            float[] lr = crop(a.lowRes(), a.width() / 2, y / 2, x / 2, patch / 2);
            return new Pair(norm.forward(hr), norm.forward(lr));
        }
    }

    private static boolean mostlyEmpty(float[] patch, float max) {
        int bright = 0;
        for (float v : patch) {
            if (v > 0.1f * max) {
                bright++;
            }
        }
        return bright < patch.length / 10;
    }

    private TrainingRegion pickRegion(Random random) {
        long r = (long) (random.nextDouble() * totalArea);
        for (TrainingRegion region : regions) {
            r -= (long) region.height() * region.width();
            if (r < 0) {
                return region;
            }
        }
        return regions.get(regions.size() - 1);
    }

    static float[] crop(float[] src, int srcWidth, int y, int x, int size) {
        float[] out = new float[size * size];
        for (int r = 0; r < size; r++) {
            System.arraycopy(src, (y + r) * srcWidth + x, out, r * size, size);
        }
        return out;
    }
}
