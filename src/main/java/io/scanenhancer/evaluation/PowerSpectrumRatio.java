package io.scanenhancer.evaluation;

import java.util.List;

/**
 * Sharpness as the radial power spectrum of one set of slices relative to another's (1.0: as much detail as the
 * reference at those frequencies; below 1 blurrier, above 1 sharper or noisier). Measured inside the head only, so the
 * head's outline (the strongest edge of any slice, and shared by every head) does not swamp the texture: every
 * {@value #PATCH} x {@value #PATCH} patch (stride {@value #STRIDE}) that lies wholly inside the mask is
 * mean-subtracted, Hann-windowed and Fourier transformed; its power is averaged over rings of radial frequency
 * f = |(u, v)| / {@value #PATCH} cycles per pixel and over all patches of the set. The ratio of a band is the set's
 * mean power in that band divided by the reference's.
 */
public final class PowerSpectrumRatio {
    public static final int PATCH = 32, STRIDE = 16;
    /** Bands in cycles per pixel (per mm at 1 mm pixels), [low, high). */
    public static final double[][] BANDS = {{1.0 / 16, 1.0 / 8}, {1.0 / 8, 1.0 / 4}, {1.0 / 4, 0.5 + 1e-9}};
    public static final String[] BAND_NAMES = {"1/16-1/8 cycles/mm (periods 8-16 mm)", "1/8-1/4 cycles/mm (4-8 mm)", "1/4-1/2 cycles/mm (2-4 mm)"};

    private static final double[] COS = new double[PATCH], SIN = new double[PATCH], HANN = new double[PATCH];

    static {
        for (int k = 0; k < PATCH; k++) {
            COS[k] = Math.cos(2 * Math.PI * k / PATCH);
            SIN[k] = -Math.sin(2 * Math.PI * k / PATCH);
            HANN[k] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (k + 0.5) / PATCH);
        }
    }

    /** Mean power per band over every qualifying patch, and how many patches qualified. */
    public record Spectrum(double[] bandPower, long patches) {
    }

    private PowerSpectrumRatio() {
    }

    public static Spectrum of(List<float[]> slices, List<boolean[]> masks, int rows, int columns) {
        double[] sum = new double[BANDS.length];
        long patches = 0;
        for (int s = 0; s < slices.size(); s++) {
            float[] img = slices.get(s);
            boolean[] mask = masks.get(s);
            for (int py = 0; py + PATCH <= rows; py += STRIDE) {
                for (int px = 0; px + PATCH <= columns; px += STRIDE) {
                    if (inside(mask, columns, py, px)) {
                        double[] band = patchBands(img, columns, py, px);
                        for (int b = 0; b < band.length; b++) {
                            sum[b] += band[b];
                        }
                        patches++;
                    }
                }
            }
        }
        for (int b = 0; b < sum.length; b++) {
            sum[b] /= Math.max(1, patches);
        }
        return new Spectrum(sum, patches);
    }

    /** Per band: the set's mean power divided by the reference's. */
    public static double[] ratio(Spectrum set, Spectrum reference) {
        double[] r = new double[BANDS.length];
        for (int b = 0; b < r.length; b++) {
            r[b] = set.bandPower()[b] / reference.bandPower()[b];
        }
        return r;
    }

    private static boolean inside(boolean[] mask, int columns, int py, int px) {
        for (int y = py; y < py + PATCH; y++) {
            for (int x = px; x < px + PATCH; x++) {
                if (!mask[y * columns + x]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Mean power per band of one patch (mean removed, Hann window, 2-D DFT by rows then columns). */
    static double[] patchBands(float[] img, int columns, int py, int px) {
        double mean = 0;
        for (int y = 0; y < PATCH; y++) {
            for (int x = 0; x < PATCH; x++) {
                mean += img[(py + y) * columns + px + x];
            }
        }
        mean /= PATCH * PATCH;
        double[][] w = new double[PATCH][PATCH];
        for (int y = 0; y < PATCH; y++) {
            for (int x = 0; x < PATCH; x++) {
                w[y][x] = (img[(py + y) * columns + px + x] - mean) * HANN[y] * HANN[x];
            }
        }
        double[][] rr = new double[PATCH][PATCH], ri = new double[PATCH][PATCH];
        for (int y = 0; y < PATCH; y++) {
            for (int u = 0; u < PATCH; u++) {
                double sr = 0, si = 0;
                for (int x = 0; x < PATCH; x++) {
                    int k = (u * x) % PATCH;
                    sr += w[y][x] * COS[k];
                    si += w[y][x] * SIN[k];
                }
                rr[y][u] = sr;
                ri[y][u] = si;
            }
        }
        double[] band = new double[BANDS.length];
        int[] count = new int[BANDS.length];
        for (int v = 0; v < PATCH; v++) {
            for (int u = 0; u < PATCH; u++) {
                double sr = 0, si = 0;
                for (int y = 0; y < PATCH; y++) {
                    int k = (v * y) % PATCH;
                    sr += rr[y][u] * COS[k] - ri[y][u] * SIN[k];
                    si += rr[y][u] * SIN[k] + ri[y][u] * COS[k];
                }
                double fu = u <= PATCH / 2 ? u : u - PATCH, fv = v <= PATCH / 2 ? v : v - PATCH;
                double f = Math.sqrt(fu * fu + fv * fv) / PATCH;
                for (int b = 0; b < BANDS.length; b++) {
                    if (f >= BANDS[b][0] && f < BANDS[b][1]) {
                        band[b] += sr * sr + si * si;
                        count[b]++;
                    }
                }
            }
        }
        for (int b = 0; b < band.length; b++) {
            band[b] /= Math.max(1, count[b]);
        }
        return band;
    }
}
