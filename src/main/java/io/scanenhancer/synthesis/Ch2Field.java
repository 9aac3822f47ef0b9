package io.scanenhancer.synthesis;

import io.scanenhancer.anatomy.LabelVolume;
import io.scanenhancer.anatomy.SourceAnatomy;
import io.scanenhancer.training.LabelSlice;
import io.scanenhancer.volume.NiftiVolume;

/**
 * The real ch2 in a synthetic study's field, for comparisons: axial slice k of ch2 (its image and its labels) laid
 * into the {@value SlabPlan#SIZE} x {@value SlabPlan#SIZE} field of {@value SlabPlan#PIXEL_MM} mm pixels that
 * {@link SlabPlan} gives every study, with the brain's centroid (rounded to a voxel) at the field's centre pixel, rows
 * toward posterior and columns toward the patient's left. The placement is a whole-voxel shift and two flips, never an
 * interpolation, so the real slices keep their own sharpness and noise; outside ch2's grid is background (0).
 *
 * <p>"The same position" as a synthetic slice means the same distance along z from the brain's centroid: a synthetic
 * slice at {@code z - brainZ = d} is matched with ch2's slice {@link #sliceAt}(d). The synthetic head is ch2's
 * anatomy resized by up to 10% and tilted by up to 10 degrees, so this matches anatomy approximately, not voxel for voxel.
 */
public final class Ch2Field {
    private final LabelVolume labels;
    private final NiftiVolume t1;
    private final int ci, cj;
    private final double ck;

    public Ch2Field(SourceAnatomy source, NiftiVolume t1) {
        this.labels = source.labels();
        this.t1 = t1;
        double[] s = labels.grid().srow();
        if (s[0] != 1 || s[5] != 1 || s[10] != 1 || s[1] != 0 || s[2] != 0 || s[4] != 0 || s[6] != 0 || s[8] != 0 || s[9] != 0) {
            throw new IllegalArgumentException("the real field needs an axis-aligned 1 mm RAS grid; srow is " + java.util.Arrays.toString(s));
        }
        if (t1.nx() != labels.nx() || t1.ny() != labels.ny() || t1.nz() != labels.nz()) {
            throw new IllegalArgumentException("image and labels are not on one grid");
        }
        double[] c = source.brainCentroid();
        this.ci = (int) Math.round(c[0] - s[3]);
        this.cj = (int) Math.round(c[1] - s[7]);
        this.ck = c[2] - s[11];
    }

    public int slices() {
        return labels.nz();
    }

    /** ch2's axial index at {@code offsetMm} above the brain's centroid (may lie outside 0..slices-1). */
    public int sliceAt(double offsetMm) {
        return (int) Math.round(ck + offsetMm);
    }

    /** Offset above the brain's centroid of ch2's slice k, in mm. */
    public double offsetOf(int k) {
        return k - ck;
    }

    /**
     * As {@link #slice(int)}, with the label planes at k + each offset (whole mm: ch2's slices are 1 mm apart), as a
     * renderer conditioned on neighbours ({@link SliceRenderer#neighbourOffsetsMm()}) needs them.
     */
    public LabelSlice slice(int k, double[] offsetsMm) {
        LabelSlice centre = slice(k);
        byte[][] neighbours = new byte[offsetsMm.length][];
        for (int i = 0; i < offsetsMm.length; i++) {
            neighbours[i] = slice(k + (int) Math.round(offsetsMm[i])).labels();
        }
        return new LabelSlice(centre.height(), centre.width(), centre.labels(), centre.t1(), neighbours);
    }

    /** ch2's axial slice k in the field: labels and T1 (all background outside the grid). */
    public LabelSlice slice(int k) {
        int n = SlabPlan.SIZE, half = n / 2;
        byte[] l = new byte[n * n];
        float[] v = new float[n * n];
        if (k >= 0 && k < labels.nz()) {
            for (int r = 0; r < n; r++) {
                int j = cj + half - r; // rows toward posterior: world y decreasing
                if (j < 0 || j >= labels.ny()) {
                    continue;
                }
                for (int c = 0; c < n; c++) {
                    int i = ci + half - c; // columns toward the patient's left: world x decreasing
                    if (i >= 0 && i < labels.nx()) {
                        l[r * n + c] = (byte) labels.get(i, j, k);
                        v[r * n + c] = t1.get(i, j, k);
                    }
                }
            }
        }
        return new LabelSlice(n, n, l, v);
    }
}
