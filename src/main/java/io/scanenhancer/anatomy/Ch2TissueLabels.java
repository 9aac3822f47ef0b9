package io.scanenhancer.anatomy;

import io.scanenhancer.volume.HeldOutSlab;
import io.scanenhancer.volume.NiftiVolume;
import io.scanenhancer.volume.NiftiWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The tissue label volume of ch2.nii.gz (Colin 27), made from the data Debian's mricron-data ships and nothing else.
 * The steps, in order (each voxel takes the first rule that applies):
 * <ol>
 * <li>head: ch2 above 0 (its background is exactly 0), holes filled in 3D and then slice by slice in all three
 *     orientations (sinuses, mouth, ear canals); outside the head is {@link TissueLabel#BACKGROUND}.</li>
 * <li>brain: ch2bet.nii.gz above 0; head outside it is {@link TissueLabel#NON_BRAIN_HEAD}.</li>
 * <li>intensity classes in the brain: a three-class Gaussian mixture with partial-volume classes
 *     ({@link GaussianMixture#fitWithPartialVolume}) on the histogram of cerebral voxels (brain minus AAL deep nuclei
 *     and cerebellum) of the axial slices OUTSIDE {@link HeldOutSlab#CH2}'s excluded range 72..107; the two halfway
 *     thresholds split CSF / grey / white. The fit is the only thing fitted; its rule is applied to every slice.</li>
 * <li>below the CSF/grey threshold: {@link TissueLabel#CSF}, whatever the atlas says (ventricles win over nuclei).</li>
 * <li>AAL 71..78 (caudate, putamen, pallidum, thalamus): {@link TissueLabel#DEEP_GREY_MATTER}. AAL was drawn on
 *     this very brain and ships on ch2's grid (checked), so it fits without registration.</li>
 * <li>AAL 91..116 (cerebellar hemispheres and vermis): {@link TissueLabel#CEREBELLAR_CORTEX} below the grey/white
 *     threshold, {@link TissueLabel#WHITE_MATTER} above it.</li>
 * <li>brainstem: see {@link Brainstem}.</li>
 * <li>otherwise grey/white by the threshold: {@link TissueLabel#CORTICAL_GREY_MATTER} or {@link TissueLabel#WHITE_MATTER}.</li>
 * </ol>
 * Labels are anatomy, not training targets: the whole volume is labelled, held-out slab included, but no parameter
 * is fitted on slices 72..107.
 */
public final class Ch2TissueLabels {
    public static final Path TEMPLATES = Path.of("/usr/share/mricron/templates");
    /** The committed copy, regenerated exactly by {@link #build} (Ch2TissueLabelsTest checks). */
    public static final Path COMMITTED = Path.of("models/ch2-tissue-labels/labels.nii.gz");
    static final int[] AAL_DEEP_GREY = {71, 78};
    static final int[] AAL_CEREBELLUM = {91, 116};
    static final int AAL_THALAMUS_FIRST = 77;
    static final int FIT_ITERATIONS = 5000; // converges (relative log-likelihood change 1e-9) in about 1,430

    /** The label volume and what made it. */
    public record Result(LabelVolume labels, GaussianMixture.Fit fit, double csfGreyThreshold, double greyWhiteThreshold,
                         long fittedVoxels, int[] fittedSlicesExcluded) {
    }

    private Ch2TissueLabels() {
    }

    /** The pure CSF, grey and white matter T1 levels of the committed fit (labels.json, made_by.fit_means). */
    public static double[] committedPureMeans() throws IOException {
        com.fasterxml.jackson.databind.JsonNode means = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(COMMITTED.resolveSibling("labels.json").toFile()).path("made_by").path("fit_means");
        if (means.size() != 3) {
            throw new IOException("labels.json has no three fit_means");
        }
        return new double[] {means.get(0).asDouble(), means.get(1).asDouble(), means.get(2).asDouble()};
    }

    /** Reads the committed label volume. */
    public static LabelVolume load() throws IOException {
        return LabelVolume.read(COMMITTED);
    }

    public static Result build(Path templates) throws IOException {
        Path ch2File = templates.resolve("ch2.nii.gz"), betFile = templates.resolve("ch2bet.nii.gz"),
                aalFile = templates.resolve("aal.nii.gz");
        NiftiWriter.Grid grid = NiftiWriter.Grid.of(ch2File);
        requireSameGrid(grid, NiftiWriter.Grid.of(betFile), "ch2bet.nii.gz");
        requireSameGrid(grid, NiftiWriter.Grid.of(aalFile), "aal.nii.gz");
        int nx = grid.nx(), ny = grid.ny(), n = grid.voxels();
        float[] t1 = flatten(NiftiVolume.read(ch2File));
        float[] bet = flatten(NiftiVolume.read(betFile));
        int[] aal = new int[n];
        float[] aalValues = flatten(NiftiVolume.read(aalFile));
        for (int p = 0; p < n; p++) {
            aal[p] = Math.round(aalValues[p]);
        }

        boolean[] head = new boolean[n], brain = new boolean[n];
        for (int p = 0; p < n; p++) {
            head[p] = t1[p] > 0;
            brain[p] = bet[p] > 0;
        }
        head = BinaryMasks.fillHolesEverySlice(head, nx, ny, grid.nz());

        HeldOutSlab slab = HeldOutSlab.CH2;
        double[] histogram = new double[256];
        long fitted = 0;
        for (int p = 0; p < n; p++) {
            int k = p / (nx * ny);
            if (brain[p] && !slab.excludes(k) && !in(aal[p], AAL_DEEP_GREY) && !in(aal[p], AAL_CEREBELLUM)) {
                histogram[Math.min(255, Math.max(0, Math.round(t1[p])))]++;
                fitted++;
            }
        }
        double[] grey = new double[256];
        Arrays.setAll(grey, i -> i);
        GaussianMixture.Fit fit = GaussianMixture.fitWithPartialVolume(grey, histogram,
                new double[] {percentile(histogram, 0.02), percentile(histogram, 0.5), percentile(histogram, 0.95)},
                FIT_ITERATIONS);
        double csfGrey = fit.halfwayThresholds()[0], greyWhite = fit.halfwayThresholds()[1];

        byte[] labels = new byte[n];
        for (int p = 0; p < n; p++) {
            TissueLabel l;
            if (!head[p]) {
                l = TissueLabel.BACKGROUND;
            } else if (!brain[p]) {
                l = TissueLabel.NON_BRAIN_HEAD;
            } else if (t1[p] < csfGrey) {
                l = TissueLabel.CSF;
            } else if (in(aal[p], AAL_DEEP_GREY)) {
                l = TissueLabel.DEEP_GREY_MATTER;
            } else if (in(aal[p], AAL_CEREBELLUM)) {
                l = t1[p] < greyWhite ? TissueLabel.CEREBELLAR_CORTEX : TissueLabel.WHITE_MATTER;
            } else {
                l = t1[p] < greyWhite ? TissueLabel.CORTICAL_GREY_MATTER : TissueLabel.WHITE_MATTER;
            }
            labels[p] = (byte) l.value();
        }
        Brainstem.label(labels, aal, grid);
        return new Result(new LabelVolume(grid, labels), fit, csfGrey, greyWhite, fitted,
                new int[] {slab.excludedFrom(), slab.excludedTo() - 1});
    }

    static boolean in(int value, int[] range) {
        return value >= range[0] && value <= range[1];
    }

    private static float[] flatten(NiftiVolume v) {
        float[] out = new float[v.nx() * v.ny() * v.nz()];
        for (int k = 0; k < v.nz(); k++) {
            System.arraycopy(v.axial(k), 0, out, k * v.nx() * v.ny(), v.nx() * v.ny());
        }
        return out;
    }

    /** The grey level below which {@code fraction} of the histogram's weight lies. */
    private static double percentile(double[] histogram, double fraction) {
        double total = Arrays.stream(histogram).sum(), run = 0;
        for (int i = 0; i < histogram.length; i++) {
            run += histogram[i];
            if (run >= fraction * total) {
                return i;
            }
        }
        return histogram.length - 1;
    }

    private static void requireSameGrid(NiftiWriter.Grid expected, NiftiWriter.Grid actual, String name) {
        if (expected.nx() != actual.nx() || expected.ny() != actual.ny() || expected.nz() != actual.nz()
                || !Arrays.equals(expected.srow(), actual.srow())) {
            throw new IllegalStateException(name + " is not on ch2's grid: " + actual.nx() + "x" + actual.ny() + "x"
                    + actual.nz() + " srow " + Arrays.toString(actual.srow()));
        }
    }
}
