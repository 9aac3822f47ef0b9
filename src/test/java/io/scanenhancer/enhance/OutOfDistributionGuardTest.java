package io.scanenhancer.enhance;

import io.scanenhancer.diffusion.Degradation;

import io.scanenhancer.image.FloatImage;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutOfDistributionGuardTest {

    private static FloatImage texture(int n) {
        float[] p = new float[n * n];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (100 + 50 * Math.sin(i * 0.7) + 30 * Math.cos(i / n * 0.9));
        }
        return new FloatImage(n, n, p);
    }

    @Test
    void aModelThatMatchesBicubicScoresZeroAndOneThatIsWorseIsFlagged() {
        FloatImage input = texture(32);
        List<FloatImage> tests = OutOfDistributionGuard.selfTestInputs(List.of(input));
        FloatImage asBicubic = Bicubic.upscale(tests.get(0), 2);
        assertEquals(0, OutOfDistributionGuard.scores(List.of(input), List.of(asBicubic))[0], 1e-9);

        float[] worse = asBicubic.pixels().clone();
        for (int i = 0; i < worse.length; i += 3) {
            worse[i] += 40;
        }
        double score = OutOfDistributionGuard.scores(List.of(input), List.of(new FloatImage(32, 32, worse)))[0];
        OutOfDistributionGuard guard = new OutOfDistributionGuard(0.5);
        assertTrue(score < -0.5, "score " + score);
        assertTrue(guard.isOutOfDistribution(score));
        assertFalse(guard.isOutOfDistribution(-0.2));
    }

    @Test
    void imagesTooSmallForTheSelfTestCountAsOutOfDistribution() {
        FloatImage tiny = texture(10);
        assertNull(OutOfDistributionGuard.selfTestInputs(List.of(tiny)).get(0));
        List<FloatImage> none = new ArrayList<>();
        none.add(null);
        double score = OutOfDistributionGuard.scores(List.of(tiny), none)[0];
        assertTrue(new OutOfDistributionGuard(0.5).isOutOfDistribution(score));
    }

    @Test
    void forKspaceInputsTheSelfTestTruncatesKspaceAndComparesWithZeroFilling() {
        FloatImage input = texture(32);
        FloatImage test = OutOfDistributionGuard.selfTestInputs(List.of(input), Degradation.KSPACE).get(0);
        assertEquals(KspaceDegradation.degrade(input, 2).pixels().length, test.pixels().length);
        for (int i = 0; i < test.pixels().length; i++) {
            assertEquals(KspaceDegradation.degrade(input, 2).pixels()[i], test.pixels()[i]);
        }
        FloatImage zeroFilled = KspaceDegradation.zeroFill(test, 2);
        assertEquals(0, OutOfDistributionGuard.scores(List.of(input), List.of(zeroFilled), Degradation.KSPACE)[0], 1e-9);
        // on an input band-limited to the kept window zero-filling is exact, so the kspace guard scores bicubic far below it
        FloatImage smooth = bandLimited(32);
        FloatImage smoothTest = OutOfDistributionGuard.selfTestInputs(List.of(smooth), Degradation.KSPACE).get(0);
        double bicubic = OutOfDistributionGuard.scores(List.of(smooth), List.of(Bicubic.upscale(smoothTest, 2)), Degradation.KSPACE)[0];
        assertTrue(bicubic < -20, "bicubic against zero-filling on kspace: " + bicubic + " dB");
    }

    /** Cosines with at most 5 cycles per 32 pixels: inside the window a 2x k-space truncation keeps (|k| < 8). */
    private static FloatImage bandLimited(int n) {
        float[] p = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                p[y * n + x] = (float) (100 + 30 * Math.cos(2 * Math.PI * 3 * x / n) + 20 * Math.sin(2 * Math.PI * 5 * y / n)
                        + 10 * Math.cos(2 * Math.PI * (2 * x + 4 * y) / n));
            }
        }
        return new FloatImage(n, n, p);
    }
}
