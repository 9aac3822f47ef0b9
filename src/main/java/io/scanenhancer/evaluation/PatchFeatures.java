package io.scanenhancer.evaluation;

import io.scanenhancer.image.GaussianFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * Image features for a kernel distance where no pretrained network (Inception, as in KID and FID) can be had: a fixed
 * bank of Gaussian-derivative filters, summarised per patch. Nothing is learned or drawn at random, so the features
 * are the same on every machine and for every renderer.
 *
 * <p>Each slice (1 mm pixels) is cut into non-overlapping {@value #PATCH} x {@value #PATCH} patches; a patch counts
 * when at least half of it is head (mask true). At each scale sigma of {@link #SIGMAS} pixels the smoothed image L and
 * its scale-normalised derivatives (sigma * first, sigma^2 * second) give six statistics over the patch: mean and
 * standard deviation of L (intensity and contrast), mean and standard deviation of the gradient magnitude (edges), mean
 * |Laplacian| (blobs, e.g. sulci in cross-section) and mean Hessian anisotropy sqrt((Lxx - Lyy)^2 + 4 Lxy^2) (ridges
 * and thin lines). {@value #DIMENSIONS} features per patch.
 */
public final class PatchFeatures {
    public static final int PATCH = 32;
    public static final double[] SIGMAS = {1, 2, 4};
    public static final int DIMENSIONS = 6 * 3;
    public static final String DESCRIPTION = "Gaussian-derivative filter bank at sigma 1, 2 and 4 mm; per 32x32 mm patch (non-overlapping, "
            + "at least half head) the mean and SD of the smoothed image, mean and SD of the scale-normalised gradient magnitude, "
            + "mean |Laplacian| and mean Hessian anisotropy at each scale: 18 features, each standardised by its mean and SD over "
            + "the patches of ch2's training slices";

    private PatchFeatures() {
    }

    /** Every qualifying patch of every slice: one row of {@value #DIMENSIONS} features each. */
    public static List<double[]> of(List<float[]> slices, List<boolean[]> masks, int rows, int columns) {
        List<double[]> out = new ArrayList<>();
        for (int s = 0; s < slices.size(); s++) {
            out.addAll(of(slices.get(s), masks.get(s), rows, columns));
        }
        return out;
    }

    public static List<double[]> of(float[] image, boolean[] mask, int rows, int columns) {
        int scales = SIGMAS.length;
        float[][][] responses = new float[scales][][];
        for (int s = 0; s < scales; s++) {
            double sg = SIGMAS[s];
            responses[s] = new float[][] {
                    GaussianFilter.derivative(image, rows, columns, sg, 0, 0),
                    GaussianFilter.derivative(image, rows, columns, sg, 1, 0),
                    GaussianFilter.derivative(image, rows, columns, sg, 0, 1),
                    GaussianFilter.derivative(image, rows, columns, sg, 2, 0),
                    GaussianFilter.derivative(image, rows, columns, sg, 0, 2),
                    GaussianFilter.derivative(image, rows, columns, sg, 1, 1)};
        }
        List<double[]> out = new ArrayList<>();
        int n = PATCH * PATCH;
        for (int py = 0; py + PATCH <= rows; py += PATCH) {
            for (int px = 0; px + PATCH <= columns; px += PATCH) {
                int head = 0;
                for (int y = py; y < py + PATCH; y++) {
                    for (int x = px; x < px + PATCH; x++) {
                        head += mask[y * columns + x] ? 1 : 0;
                    }
                }
                if (2 * head < n) {
                    continue;
                }
                double[] f = new double[DIMENSIONS];
                for (int s = 0; s < scales; s++) {
                    double sg = SIGMAS[s];
                    float[][] r = responses[s];
                    double sl = 0, sll = 0, sgm = 0, sgg = 0, lap = 0, ani = 0;
                    for (int y = py; y < py + PATCH; y++) {
                        for (int x = px; x < px + PATCH; x++) {
                            int p = y * columns + x;
                            double l = r[0][p];
                            double g = sg * Math.hypot(r[1][p], r[2][p]);
                            double xx = sg * sg * r[3][p], yy = sg * sg * r[4][p], xy = sg * sg * r[5][p];
                            sl += l;
                            sll += l * l;
                            sgm += g;
                            sgg += g * g;
                            lap += Math.abs(xx + yy);
                            ani += Math.sqrt((xx - yy) * (xx - yy) + 4 * xy * xy);
                        }
                    }
                    double ml = sl / n, mg = sgm / n;
                    f[6 * s] = ml;
                    f[6 * s + 1] = Math.sqrt(Math.max(0, sll / n - ml * ml));
                    f[6 * s + 2] = mg;
                    f[6 * s + 3] = Math.sqrt(Math.max(0, sgg / n - mg * mg));
                    f[6 * s + 4] = lap / n;
                    f[6 * s + 5] = ani / n;
                }
                out.add(f);
            }
        }
        return out;
    }

    /** Per-feature mean and standard deviation of a reference set: {mean[], sd[]}, sd floored at 1e-9. */
    public static double[][] standardisation(List<double[]> reference) {
        int d = reference.get(0).length;
        double[] mean = new double[d], sd = new double[d];
        for (double[] f : reference) {
            for (int i = 0; i < d; i++) {
                mean[i] += f[i] / reference.size();
            }
        }
        for (double[] f : reference) {
            for (int i = 0; i < d; i++) {
                sd[i] += (f[i] - mean[i]) * (f[i] - mean[i]) / Math.max(1, reference.size() - 1);
            }
        }
        for (int i = 0; i < d; i++) {
            sd[i] = Math.max(1e-9, Math.sqrt(sd[i]));
        }
        return new double[][] {mean, sd};
    }

    /** The features standardised by {@link #standardisation} of a reference set. */
    public static List<double[]> standardised(List<double[]> features, double[][] standardisation) {
        double[] mean = standardisation[0], sd = standardisation[1];
        return features.stream().map(f -> {
            double[] z = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                z[i] = (f[i] - mean[i]) / sd[i];
            }
            return z;
        }).toList();
    }
}
