package io.scanenhancer.evaluation;

import io.scanenhancer.image.FloatImage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Distances between two sets of slices (synthetic vs real, or real vs real), all size x size in 0..255:
 *
 * <ul>
 *   <li>intensity-histogram distance: the 1-Wasserstein distance (mean absolute difference of quantiles, grey
 *       levels) between the pooled pixel values of the two sets;</li>
 *   <li>feature-space distance: a Fréchet distance with diagonal covariance, sum over features of
 *       (mu1 - mu2)^2 + (s1 - s2)^2, on {@link #FEATURES} hand-made features per slice, each divided by the second
 *       set's standard deviation of that feature (plus a floor) so that no unit dominates. No pretrained network
 *       (Inception, as in FID) can be had here; the features are what a reader of an MR slice would check:
 *       head area, the intensity histogram inside the head (8 bins), the radially averaged log power spectrum
 *       (8 bands: sharpness and texture) and quantiles of the gradient magnitude (4: edges);</li>
 *   <li>diversity: mean SSIM over all pairs within a set (lower = more diverse).</li>
 * </ul>
 */
public final class GeneratorQuality {
    public static final int FEATURES = 21;
    private static final double HEAD = 25.5;

    private GeneratorQuality() {
    }

    public static double histogramDistance(List<float[]> a, List<float[]> b) {
        double[] qa = quantiles(a, 1000), qb = quantiles(b, 1000);
        double sum = 0;
        for (int i = 0; i < qa.length; i++) {
            sum += Math.abs(qa[i] - qb[i]);
        }
        return sum / qa.length;
    }

    private static double[] quantiles(List<float[]> set, int n) {
        int total = set.stream().mapToInt(x -> x.length).sum();
        float[] all = new float[total];
        int at = 0;
        for (float[] x : set) {
            System.arraycopy(x, 0, all, at, x.length);
            at += x.length;
        }
        Arrays.sort(all);
        double[] q = new double[n];
        for (int i = 0; i < n; i++) {
            q[i] = all[(int) ((i + 0.5) / n * (all.length - 1))];
        }
        return q;
    }

    /** Fréchet distance with diagonal covariance on standardised features; see the class comment. */
    public static double featureDistance(List<float[]> a, List<float[]> b, int size) {
        double[][] fa = features(a, size), fb = features(b, size);
        double sum = 0;
        for (int f = 0; f < FEATURES; f++) {
            double[] sa = stats(fa, f), sb = stats(fb, f);
            double scale = sb[1] + 1e-3 * (Math.abs(sb[0]) + 1);
            double dm = (sa[0] - sb[0]) / scale, ds = (sa[1] - sb[1]) / scale;
            sum += dm * dm + ds * ds;
        }
        return sum;
    }

    private static double[] stats(double[][] f, int k) {
        double m = 0;
        for (double[] row : f) {
            m += row[k];
        }
        m /= f.length;
        double v = 0;
        for (double[] row : f) {
            v += (row[k] - m) * (row[k] - m);
        }
        return new double[] {m, Math.sqrt(v / Math.max(1, f.length - 1))};
    }

    static double[][] features(List<float[]> set, int size) {
        double[][] out = new double[set.size()][];
        for (int i = 0; i < set.size(); i++) {
            out[i] = features(set.get(i), size);
        }
        return out;
    }

    static double[] features(float[] img, int size) {
        double[] f = new double[FEATURES];
        int head = 0;
        double[] hist = new double[8];
        for (float v : img) {
            if (v > HEAD) {
                head++;
                hist[Math.min(7, (int) (v / 32))]++;
            }
        }
        f[0] = (double) head / img.length;
        for (int i = 0; i < 8; i++) {
            f[1 + i] = head == 0 ? 0 : hist[i] / head;
        }
        double[] spectrum = radialLogPower(img, size);
        System.arraycopy(spectrum, 0, f, 9, 8);
        double[] g = gradientQuantiles(img, size);
        System.arraycopy(g, 0, f, 17, 4);
        return f;
    }

    /** Radially averaged log power spectrum in 8 octave-like bands (a plain DFT by rows and columns). */
    static double[] radialLogPower(float[] img, int n) {
        double[][] re = new double[n][n], im = new double[n][n];
        double[] cos = new double[n], sin = new double[n];
        for (int k = 0; k < n; k++) {
            cos[k] = Math.cos(2 * Math.PI * k / n);
            sin[k] = -Math.sin(2 * Math.PI * k / n);
        }
        double[][] rowRe = new double[n][n], rowIm = new double[n][n];
        for (int y = 0; y < n; y++) {
            for (int u = 0; u < n; u++) {
                double sr = 0, si = 0;
                for (int x = 0; x < n; x++) {
                    int k = (u * x) % n;
                    sr += img[y * n + x] * cos[k];
                    si += img[y * n + x] * sin[k];
                }
                rowRe[y][u] = sr;
                rowIm[y][u] = si;
            }
        }
        for (int u = 0; u < n; u++) {
            for (int v = 0; v < n; v++) {
                double sr = 0, si = 0;
                for (int y = 0; y < n; y++) {
                    int k = (v * y) % n;
                    sr += rowRe[y][u] * cos[k] - rowIm[y][u] * sin[k];
                    si += rowRe[y][u] * sin[k] + rowIm[y][u] * cos[k];
                }
                re[v][u] = sr;
                im[v][u] = si;
            }
        }
        double[] band = new double[8];
        int[] count = new int[8];
        double maxR = n / 2.0;
        for (int v = 0; v < n; v++) {
            for (int u = 0; u < n; u++) {
                double fy = v <= n / 2 ? v : v - n, fx = u <= n / 2 ? u : u - n;
                double r = Math.sqrt(fx * fx + fy * fy) / maxR;
                if (r <= 0 || r > 1) {
                    continue;
                }
                int b = Math.min(7, (int) (8 + Math.log(r) / Math.log(2) * 1.5)); // log-spaced bands
                if (b < 0) {
                    b = 0;
                }
                band[b] += re[v][u] * re[v][u] + im[v][u] * im[v][u];
                count[b]++;
            }
        }
        for (int b = 0; b < 8; b++) {
            band[b] = Math.log10(1 + band[b] / Math.max(1, count[b]));
        }
        return band;
    }

    static double[] gradientQuantiles(float[] img, int n) {
        List<Double> g = new ArrayList<>();
        for (int y = 1; y < n - 1; y++) {
            for (int x = 1; x < n - 1; x++) {
                if (img[y * n + x] <= HEAD) {
                    continue;
                }
                double gx = (img[y * n + x + 1] - img[y * n + x - 1]) / 2, gy = (img[(y + 1) * n + x] - img[(y - 1) * n + x]) / 2;
                g.add(Math.sqrt(gx * gx + gy * gy));
            }
        }
        if (g.isEmpty()) {
            return new double[4];
        }
        double[] s = g.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {s[(int) (0.25 * (s.length - 1))], s[(int) (0.5 * (s.length - 1))],
                s[(int) (0.75 * (s.length - 1))], s[(int) (0.95 * (s.length - 1))]};
    }

    /**
     * Mean SSIM (data range 255) between two sets slice by slice: a.get(i) against b.get(i), e.g. two studies of
     * different seeds at matched positions (lower = more diverse).
     */
    public static double meanMatchedSsim(List<float[]> a, List<float[]> b, int size) {
        if (a.size() != b.size() || a.isEmpty()) {
            throw new IllegalArgumentException("matched sets of equal, non-zero size needed, got " + a.size() + " and " + b.size());
        }
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += ImageMetrics.ssim(new FloatImage(size, size, a.get(i)), new FloatImage(size, size, b.get(i)), 255);
        }
        return sum / a.size();
    }

    /** Mean SSIM over all pairs of the set (data range 255). */
    public static double meanPairwiseSsim(List<float[]> set, int size) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < set.size(); i++) {
            for (int j = i + 1; j < set.size(); j++) {
                sum += ImageMetrics.ssim(new FloatImage(size, size, set.get(i)), new FloatImage(size, size, set.get(j)), 255);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
