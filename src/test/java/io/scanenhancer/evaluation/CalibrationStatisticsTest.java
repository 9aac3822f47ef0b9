package io.scanenhancer.evaluation;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrationStatisticsTest {

    @Test
    void tiedValuesShareTheMeanOfTheirRanks() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, CalibrationStatistics.ranks(new double[] {10, 20, 20, 30}));
        assertArrayEquals(new double[] {3, 1, 3, 3}, CalibrationStatistics.ranks(new double[] {5, 1, 5, 5}));
    }

    @Test
    void spearmanMatchesHandComputedValuesWithAndWithoutTies() {
        // no ties: 1 - 6 * 4 / (5 * 24)
        assertEquals(0.8, CalibrationStatistics.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 5}), 1e-12);
        // ties: Pearson of ranks (1, 2.5, 2.5, 4) and (1, 2, 3, 4) is 3 / sqrt(10); the no-ties shortcut would say 0.95
        assertEquals(3 / Math.sqrt(10), CalibrationStatistics.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4}), 1e-12);
        // any increasing map is a perfect rank correlation, any decreasing one a perfect negative one
        double[] x = {0.1, 3, 7, 20, 21, 100};
        double[] cube = new double[x.length], negative = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            cube[i] = x[i] * x[i] * x[i];
            negative[i] = -Math.exp(x[i] / 10);
        }
        assertEquals(1, CalibrationStatistics.spearman(x, cube), 1e-12);
        assertEquals(-1, CalibrationStatistics.spearman(x, negative), 1e-12);
        assertTrue(Double.isNaN(CalibrationStatistics.spearman(x, new double[] {2, 2, 2, 2, 2, 2})), "a flat spread ranks nothing");
    }

    @Test
    void coverageCountsErrorsInsideTheClosedInterval() {
        double[] err = {0, 1, 2, 3, 4}, sd = {1, 1, 1, 1, 1};
        assertEquals(0.6, CalibrationStatistics.coverage(err, sd, 2), 1e-12);
        assertEquals(1.0, CalibrationStatistics.coverage(err, sd, 4), 1e-12);
        assertEquals(0.2, CalibrationStatistics.coverage(err, new double[5], 2), 1e-12, "sd 0 covers only a zero error");
    }

    @Test
    void theScaleFactorIsTheSmallestThatReachesTheTarget() {
        double[] err = new double[100], sd = new double[100];
        for (int i = 0; i < 100; i++) {
            err[i] = i + 1;
            sd[i] = 0.5;
        }
        // |error| / (2 sd) = 1..100: the 95th of them
        double c = CalibrationStatistics.scaleForCoverage(err, sd, 2, 0.95);
        assertEquals(95, c, 1e-12);
        assertEquals(0.95, CalibrationStatistics.coverage(err, sd, 2 * c), 1e-12);
        assertTrue(CalibrationStatistics.coverage(err, sd, 2 * Math.nextDown(c)) < 0.95);
        sd[7] = 0;
        assertEquals(Double.POSITIVE_INFINITY, CalibrationStatistics.scaleForCoverage(err, sd, 2, 1.0),
                "a zero spread beside a non-zero error cannot be scaled to cover it");
    }

    @Test
    void aCalibratedGaussianSpreadCoversNinetyFivePercentAndNeedsNoScaling() {
        Random r = new Random(7);
        int n = 200_000;
        double[] err = new double[n], sd = new double[n];
        for (int i = 0; i < n; i++) {
            sd[i] = 0.5 + 4 * r.nextDouble();
            err[i] = Math.abs(sd[i] * r.nextGaussian());
        }
        assertEquals(0.9545, CalibrationStatistics.coverage(err, sd, 2), 0.003);
        assertEquals(1.96 / 2, CalibrationStatistics.scaleForCoverage(err, sd, 2, 0.95), 0.01);
        // three times too narrow (the finding for v2) needs c of about 3
        double[] narrow = sd.clone();
        for (int i = 0; i < n; i++) {
            narrow[i] /= 3;
        }
        assertEquals(3 * 1.96 / 2, CalibrationStatistics.scaleForCoverage(err, narrow, 2, 0.95), 0.03);
        assertTrue(CalibrationStatistics.spearman(sd, err) > 0.2, "a spread that sets the error's scale ranks it");
    }
}
