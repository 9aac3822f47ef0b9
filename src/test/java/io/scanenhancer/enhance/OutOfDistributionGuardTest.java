package io.scanenhancer.enhance;

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
}
