package io.scanenhancer.anatomy;

import io.scanenhancer.volume.NiftiVolume;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The anatomy every synthetic head is deformed from: ch2's tissue labels and its T1 image on the same grid, with what
 * the deformations need (the world-to-voxel map, the brain's centroid, the lateral ventricles). Sampling at a world
 * point (mm, the grid's sform frame: MNI RAS for ch2) gives the label by one-hot trilinear interpolation and argmax,
 * and the T1 value trilinearly; outside the grid is background.
 *
 * <p>Why one-hot interpolation and not nearest neighbour: under scaling and rotation nearest neighbour makes
 * staircase edges and one-voxel specks where the new grid falls between the old voxels; the argmax of interpolated
 * one-hot labels picks the label that covers most of the neighbourhood, the same rule (majority tissue) the labels
 * were made with, and it gives smooth boundaries at no other cost than eight weights per sample.
 */
public final class SourceAnatomy {
    private static final int LABELS = TissueLabel.values().length;

    private final LabelVolume labels;
    private final NiftiVolume t1;
    private final double[] toVoxel; // 3x4, world mm -> voxel index
    private final double[] brainCentroid;
    private final LateralVentricles ventricles;

    public SourceAnatomy(LabelVolume labels, NiftiVolume t1) {
        if (labels.nx() != t1.nx() || labels.ny() != t1.ny() || labels.nz() != t1.nz()) {
            throw new IllegalArgumentException("labels " + labels.nx() + "x" + labels.ny() + "x" + labels.nz()
                    + " and image " + t1.nx() + "x" + t1.ny() + "x" + t1.nz() + " are not on one grid");
        }
        this.labels = labels;
        this.t1 = t1;
        this.toVoxel = invert(labels.grid().srow());
        this.brainCentroid = brainCentroid(labels);
        this.ventricles = LateralVentricles.of(labels);
    }

    /** ch2: the committed label volume and ch2.nii.gz from {@code templates} (Debian's mricron-data). */
    public static SourceAnatomy ch2(Path ch2Nifti) throws IOException {
        return new SourceAnatomy(Ch2TissueLabels.load(), NiftiVolume.read(ch2Nifti));
    }

    public LabelVolume labels() {
        return labels;
    }

    /** World mm of the centroid of labels 2..7 (the brain). */
    public double[] brainCentroid() {
        return brainCentroid.clone();
    }

    public LateralVentricles ventricles() {
        return ventricles;
    }

    /** World box of the grid's voxel centres: {min x, min y, min z}, {max x, max y, max z}. */
    public double[][] worldBox() {
        double[] s = labels.grid().srow();
        double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE}, max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int corner = 0; corner < 8; corner++) {
            double i = (corner & 1) * (labels.nx() - 1), j = (corner >> 1 & 1) * (labels.ny() - 1), k = (corner >> 2 & 1) * (labels.nz() - 1);
            for (int a = 0; a < 3; a++) {
                double w = s[4 * a] * i + s[4 * a + 1] * j + s[4 * a + 2] * k + s[4 * a + 3];
                min[a] = Math.min(min[a], w);
                max[a] = Math.max(max[a], w);
            }
        }
        return new double[][] {min, max};
    }

    /** Whether the voxel nearest to world point w is in the lateral ventricles' mask. */
    boolean inVentricles(double wx, double wy, double wz) {
        int i = (int) Math.round(toVoxel[0] * wx + toVoxel[1] * wy + toVoxel[2] * wz + toVoxel[3]);
        int j = (int) Math.round(toVoxel[4] * wx + toVoxel[5] * wy + toVoxel[6] * wz + toVoxel[7]);
        int k = (int) Math.round(toVoxel[8] * wx + toVoxel[9] * wy + toVoxel[10] * wz + toVoxel[11]);
        if (i < 0 || j < 0 || k < 0 || i >= labels.nx() || j >= labels.ny() || k >= labels.nz()) {
            return false;
        }
        return ventricles.mask()[i + labels.nx() * (j + labels.ny() * k)];
    }

    /**
     * The label at world point w: one-hot trilinear interpolation and argmax (ties to the lower label). With
     * {@code t1Out} non-null, t1Out[0] receives the trilinear T1 value there.
     */
    int sample(double wx, double wy, double wz, float[] t1Out) {
        double fi = toVoxel[0] * wx + toVoxel[1] * wy + toVoxel[2] * wz + toVoxel[3];
        double fj = toVoxel[4] * wx + toVoxel[5] * wy + toVoxel[6] * wz + toVoxel[7];
        double fk = toVoxel[8] * wx + toVoxel[9] * wy + toVoxel[10] * wz + toVoxel[11];
        int i0 = (int) Math.floor(fi), j0 = (int) Math.floor(fj), k0 = (int) Math.floor(fk);
        double ti = fi - i0, tj = fj - j0, tk = fk - k0;
        double[] weight = new double[LABELS];
        double t1Value = 0;
        for (int dk = 0; dk < 2; dk++) {
            double wk = dk == 0 ? 1 - tk : tk;
            for (int dj = 0; dj < 2; dj++) {
                double wj = dj == 0 ? 1 - tj : tj;
                for (int di = 0; di < 2; di++) {
                    double w = wk * wj * (di == 0 ? 1 - ti : ti);
                    int i = i0 + di, j = j0 + dj, k = k0 + dk;
                    if (i < 0 || j < 0 || k < 0 || i >= labels.nx() || j >= labels.ny() || k >= labels.nz()) {
                        weight[0] += w;
                        continue;
                    }
                    weight[labels.get(i, j, k)] += w;
                    t1Value += w * t1.get(i, j, k);
                }
            }
        }
        if (t1Out != null) {
            t1Out[0] = (float) t1Value;
        }
        int best = 0;
        for (int l = 1; l < LABELS; l++) {
            if (weight[l] > weight[best]) {
                best = l;
            }
        }
        return best;
    }

    private static double[] brainCentroid(LabelVolume labels) {
        double[] s = labels.grid().srow();
        double si = 0, sj = 0, sk = 0;
        long n = 0;
        for (int k = 0; k < labels.nz(); k++) {
            for (int j = 0; j < labels.ny(); j++) {
                for (int i = 0; i < labels.nx(); i++) {
                    if (labels.get(i, j, k) >= TissueLabel.CSF.value()) {
                        si += i;
                        sj += j;
                        sk += k;
                        n++;
                    }
                }
            }
        }
        double i = si / n, j = sj / n, k = sk / n;
        return new double[] {s[0] * i + s[1] * j + s[2] * k + s[3], s[4] * i + s[5] * j + s[6] * k + s[7],
                s[8] * i + s[9] * j + s[10] * k + s[11]};
    }

    /** Inverse of the affine given as 3x4 rows. */
    static double[] invert(double[] m) {
        double a = m[0], b = m[1], c = m[2], d = m[4], e = m[5], f = m[6], g = m[8], h = m[9], i = m[10];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        if (Math.abs(det) < 1e-12) {
            throw new IllegalArgumentException("singular voxel-to-world matrix");
        }
        double[] r = {
                (e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det, 0,
                (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det, 0,
                (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det, 0};
        for (int row = 0; row < 3; row++) {
            r[4 * row + 3] = -(r[4 * row] * m[3] + r[4 * row + 1] * m[7] + r[4 * row + 2] * m[11]);
        }
        return r;
    }
}
