package io.scanenhancer.anatomy;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianMixtureTest {

    /** Histogram of samples on integer bins 0..255, as the ch2 fit sees its data. */
    private static double[] histogram(double[] samples) {
        double[] h = new double[256];
        for (double s : samples) {
            h[(int) Math.max(0, Math.min(255, Math.round(s)))]++;
        }
        return h;
    }

    private static double[] bins() {
        double[] x = new double[256];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return x;
    }

    @Test
    void recoversThreeSeparatedClasses() {
        Random r = new Random(1);
        double[] mean = {40, 100, 180}, sd = {6, 10, 8}, weight = {0.2, 0.5, 0.3};
        double[] s = new double[200_000];
        for (int i = 0; i < s.length; i++) {
            double u = r.nextDouble();
            int c = u < weight[0] ? 0 : u < weight[0] + weight[1] ? 1 : 2;
            s[i] = mean[c] + sd[c] * r.nextGaussian();
        }
        GaussianMixture.Fit fit = GaussianMixture.fit(bins(), histogram(s), new double[] {60, 120, 150}, 500);
        for (int c = 0; c < 3; c++) {
            assertEquals(mean[c], fit.mean()[c], 0.3, "mean " + c);
            // rounding to integer bins adds 1/12 to the variance
            assertEquals(Math.sqrt(sd[c] * sd[c] + 1.0 / 12), fit.sd()[c], 0.3, "sd " + c);
            assertEquals(weight[c], fit.weight()[c], 0.01, "weight " + c);
        }
        assertEquals(1, fit.mostProbableClass(100));
    }

    @Test
    void partialVolumeClassesUnbiasTheNarrowPureClass() {
        // pure CSF, grey and white voxels, plus voxels that are a uniform mix of CSF and grey (sulci at 1 mm)
        Random r = new Random(2);
        double csf = 30, grey = 90, white = 115;
        double[] s = new double[300_000];
        for (int i = 0; i < s.length; i++) {
            double u = r.nextDouble();
            if (u < 0.05) {
                s[i] = csf + 3 * r.nextGaussian();
            } else if (u < 0.15) {
                double f = r.nextDouble();
                s[i] = f * csf + (1 - f) * grey + 5 * r.nextGaussian();
            } else if (u < 0.6) {
                s[i] = grey + 8 * r.nextGaussian();
            } else {
                s[i] = white + 4 * r.nextGaussian();
            }
        }
        double[] start = {20, 80, 120};
        GaussianMixture.Fit plain = GaussianMixture.fit(bins(), histogram(s), start, 1000);
        GaussianMixture.Fit pv = GaussianMixture.fitWithPartialVolume(bins(), histogram(s), start, 1000);
        assertTrue(plain.mean()[0] - csf > 5, "the plain fit's CSF mean is pulled up by mixed voxels: " + plain.mean()[0]);
        assertEquals(csf, pv.mean()[0], 2.0, "pure CSF mean with partial-volume classes");
        assertEquals(grey, pv.mean()[1], 2.0);
        assertEquals(white, pv.mean()[2], 1.0);
        assertEquals((csf + grey) / 2, pv.halfwayThresholds()[0], 2.0);
        assertEquals(2, pv.mixedWeight().length);
    }
}
