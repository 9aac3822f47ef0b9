package io.scanenhancer.training;

import io.scanenhancer.anatomy.LabelVolume;
import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.diffusion.IntensityNormalisation;
import io.scanenhancer.diffusion.TrainingBatch;
import io.scanenhancer.evaluation.KspaceBaseline;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.volume.HeldOutSlab;
import io.scanenhancer.volume.NiftiVolume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Training pairs from a native-resolution MRI volume: 2D images in all three orientations outside the
 * {@link HeldOutSlab}; where the {@link PairRecipe} asks, the image replaced by a {@link ContrastRandomisation}
 * rendering of the same pixels' tissue labels; augmented so that the model meets data it has never seen
 * ({@link Augmentation}); degraded by {@link PairDegradation}; normalised per image exactly as at inference; cut
 * into patches.
 */
public final class MriTrainingData {
    private final List<TrainingRegion> regions;
    private final long totalArea;
    private final double lowPercentile;
    private final double highPercentile;
    private final PairRecipe recipe;

    private MriTrainingData(List<TrainingRegion> regions, double lowPercentile, double highPercentile, PairRecipe recipe) {
        this.regions = regions;
        this.totalArea = regions.stream().mapToLong(r -> (long) r.height() * r.width()).sum();
        this.lowPercentile = lowPercentile;
        this.highPercentile = highPercentile;
        this.recipe = recipe;
    }

    /** v2's pairs. */
    public static MriTrainingData load(Path nifti, HeldOutSlab slab, double lowPercentile, double highPercentile)
            throws IOException {
        return load(nifti, null, slab, lowPercentile, highPercentile, PairRecipe.V2);
    }

    /**
     * @param labels the tissue labels on the volume's grid (Ch2TissueLabels for ch2), needed when the recipe renders
     *               contrasts; cut exactly as the images, so the held-out slab's labels are never used either
     */
    public static MriTrainingData load(Path nifti, LabelVolume labels, HeldOutSlab slab, double lowPercentile,
                                       double highPercentile, PairRecipe recipe) throws IOException {
        NiftiVolume v = NiftiVolume.read(nifti);
        if (recipe.needsLabels() && labels == null) {
            throw new IllegalArgumentException("--contrast-mix needs the tissue labels of " + nifti.getFileName());
        }
        if (labels != null && (labels.nx() != v.nx() || labels.ny() != v.ny() || labels.nz() != v.nz())) {
            throw new IllegalArgumentException("the tissue labels (" + labels.nx() + "x" + labels.ny() + "x" + labels.nz()
                    + ") are not on the grid of " + nifti.getFileName() + " (" + v.nx() + "x" + v.ny() + "x" + v.nz() + ")");
        }
        LabelVolume l = recipe.needsLabels() ? labels : null;
        List<TrainingRegion> regions = new ArrayList<>();
        for (int k = 0; k < v.nz(); k++) {
            if (!slab.excludes(k)) {
                regions.add(new TrainingRegion("axial " + k, v.ny(), v.nx(), v.axial(k), k, k, l == null ? null : l.axial(k)));
            }
        }
        for (int j = 0; j < v.ny(); j++) {
            addOutsideSlab(regions, "coronal " + j, v.coronal(j), l == null ? null : l.coronal(j), v.nz(), v.nx(), slab);
        }
        for (int i = 0; i < v.nx(); i++) {
            addOutsideSlab(regions, "sagittal " + i, v.sagittal(i), l == null ? null : l.sagittal(i), v.nz(), v.ny(), slab);
        }
        return new MriTrainingData(regions, lowPercentile, highPercentile, recipe);
    }

    /** Rows are k; keeps the rows below and above the excluded range as two separate images (labels alike). */
    private static void addOutsideSlab(List<TrainingRegion> out, String name, float[] slice, byte[] labels, int rows, int cols,
                                       HeldOutSlab slab) {
        int[][] parts = {{0, slab.excludedFrom()}, {slab.excludedTo(), rows}};
        for (int[] p : parts) {
            int h = p[1] - p[0];
            if (h < 16) {
                continue;
            }
            float[] px = new float[h * cols];
            System.arraycopy(slice, p[0] * cols, px, 0, px.length);
            byte[] lb = null;
            if (labels != null) {
                lb = new byte[h * cols];
                System.arraycopy(labels, p[0] * cols, lb, 0, lb.length);
            }
            out.add(new TrainingRegion(name + " rows " + p[0] + ".." + (p[1] - 1), h, cols, px, p[0], p[1] - 1, lb));
        }
    }

    public int regionCount() {
        return regions.size();
    }

    public PairRecipe recipe() {
        return recipe;
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

    /** A batch of v2's shape; degradation codes and baselines only where the recipe makes k-space pairs. */
    public TrainingBatch nextBatch(Random random, int count, int patch) {
        int half = patch / 2;
        boolean kspace = recipe.degradation() != PairRecipe.DegradationMix.AREA;
        float[] hr = new float[count * patch * patch];
        float[] lr = new float[count * half * half];
        float[] codes = kspace ? new float[count] : null;
        float[] baseline = kspace ? new float[count * patch * patch] : null;
        for (int n = 0; n < count; n++) {
            Pair p = nextPair(random, patch);
            System.arraycopy(p.hr, 0, hr, n * patch * patch, patch * patch);
            System.arraycopy(p.lr, 0, lr, n * half * half, half * half);
            if (kspace) {
                codes[n] = p.low.degradation().code();
                if (p.baseline != null) {
                    System.arraycopy(p.baseline, 0, baseline, n * patch * patch, patch * patch);
                }
            }
        }
        return new TrainingBatch(count, patch, hr, lr, codes, baseline);
    }

    /**
     * One pair, with what made it (for the tests that pairs are what they claim to be).
     *
     * @param hr       the normalised high-resolution patch; {@code lr} and {@code baseline} (zero-filling, KSPACE only)
     *                 alike, all cut at (y, x) (high-resolution pixels) of the whole images
     * @param highRes  the whole augmented high-resolution image the patch was cut from
     * @param rendered whether the image is a contrast rendering rather than the real T1
     */
    record Pair(float[] hr, float[] lr, float[] baseline, TrainingRegion region, boolean rendered, FloatImage highRes,
                PairDegradation.LowResolution low, IntensityNormalisation norm, int y, int x) {
    }

    Pair nextPair(Random random, int patch) {
        for (int attempt = 0; ; attempt++) {
            TrainingRegion region = pickRegion(random);
            if (region.height() < patch || region.width() < patch) {
                continue;
            }
            // these draw nothing at v2's settings (contrast mix 0, one degradation), so v2's stream is unchanged
            boolean rendered = recipe.contrastMix() > 0 && random.nextDouble() < recipe.contrastMix();
            Degradation degradation = recipe.degradation().draw(random);
            float[] source = region.pixels();
            double reference = KspaceBaseline.WHITE_MATTER;
            if (rendered) {
                float[] r = ContrastRandomisation.render(region.labelSlice(), random).pixels();
                source = new float[r.length];
                for (int p = 0; p < r.length; p++) {
                    source[p] = 255 * r[p]; // Augmentation reads a 0..255 scale
                }
                reference = whiteMatterLevel(source, region.labels());
            }
            Augmentation.Result a = Augmentation.apply(source, region.height(), region.width(), reference, random, recipe.augment());
            PairDegradation.LowResolution low = PairDegradation.apply(degradation, a, random, recipe.augment());
            IntensityNormalisation norm = IntensityNormalisation.fit(low.image().pixels(), lowPercentile, highPercentile);
            int w = a.highRes().width();
            int y = 2 * random.nextInt((a.highRes().height() - patch) / 2 + 1);
            int x = 2 * random.nextInt((w - patch) / 2 + 1);
            float[] hr = crop(a.highRes().pixels(), w, y, x, patch);
            // mostly-empty patches teach nothing; keep a few so the background is not a surprise
            if (attempt < 8 && mostlyEmpty(hr, a.highResMax()) && random.nextFloat() > 0.1f) {
                continue;
            }
            float[] lr = crop(low.image().pixels(), w / 2, y / 2, x / 2, patch / 2);
            float[] baseline = low.zeroFilled() == null ? null : norm.forward(crop(low.zeroFilled().pixels(), w, y, x, patch));
            return new Pair(norm.forward(hr), norm.forward(lr), baseline, region, rendered, a.highRes(), low, norm, y, x);
        }
    }

    /** Mean of a rendering over the white-matter label: the level its k-space noise is set against. */
    private static double whiteMatterLevel(float[] rendering, byte[] labels) {
        double sum = 0;
        long n = 0;
        for (int p = 0; p < labels.length; p++) {
            if (labels[p] == TissueLabel.WHITE_MATTER.value()) {
                sum += rendering[p];
                n++;
            }
        }
        return n == 0 ? KspaceBaseline.WHITE_MATTER : sum / n;
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
