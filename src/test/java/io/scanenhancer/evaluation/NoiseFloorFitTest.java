package io.scanenhancer.evaluation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoiseFloorFitTest {

    /** Errors drawn with sd 0.5 (spread + 1 x noise sd): the fit must find f = 1 and c = 0.5, which no single factor does. */
    private static double[][] set(Random random, double noiseSd, int n) {
        double[] err = new double[n], spread = new double[n], noise = new double[n];
        for (int i = 0; i < n; i++) {
            spread[i] = 1 + random.nextDouble();
            noise[i] = noiseSd;
            err[i] = Math.abs(random.nextGaussian() * 0.5 * (spread[i] + 1.0 * noiseSd));
        }
        return new double[][] {err, spread, noise};
    }

    @Test
    void findsTheFloorAtWhichCleanAndNoisySetsAgree() {
        Random random = new Random(3);
        double[][] clean = set(random, 0.05, 40_000), noisy = set(random, 3, 40_000);
        double cleanAlone = CalibrationStatistics.scaleForCoverage(clean[0], clean[1], 2, 0.95);
        double noisyAlone = CalibrationStatistics.scaleForCoverage(noisy[0], noisy[1], 2, 0.95);
        assertTrue(noisyAlone > 2 * cleanAlone, "without a floor the sets need factors " + cleanAlone + " and " + noisyAlone);

        NoiseFloorFit.Fit fit = NoiseFloorFit.fit(List.of(clean, noisy), 2, 0.95);
        assertEquals(1.0, fit.floor(), 0.1, fit.toString());
        assertEquals(0.5 * 1.96 / 2, fit.scale(), 0.03, "c covers 95 % of a Gaussian at +-2 c: " + fit);
        assertTrue(fit.worstRatio() < 1.03, fit.toString());
        for (double[][] s : List.of(clean, noisy)) {
            double coverage = CalibrationStatistics.coverage(s[0], NoiseFloorFit.withFloor(s[1], s[2], fit.floor()), 2 * fit.scale());
            assertEquals(0.95, coverage, 0.01);
        }
    }

    @Test
    void needsTwoSets() {
        assertThrows(IllegalArgumentException.class, () -> NoiseFloorFit.fit(List.<double[][]>of(set(new Random(1), 1, 10)), 2, 0.95));
    }
}
