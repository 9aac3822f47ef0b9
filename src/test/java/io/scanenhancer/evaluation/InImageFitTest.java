package io.scanenhancer.evaluation;

import io.scanenhancer.image.FloatImage;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

class InImageFitTest {
    private static final int N = 64;

    @Test
    void anErrorThatFollowsTheMapsIsRankedByTheFitOnTheOtherHalf() {
        Random random = new Random(3);
        float[] output = ramp(), baseline = output.clone(), spread = new float[N * N], truth = new float[N * N];
        for (int i = 0; i < spread.length; i++) {
            // the spread varies smoothly; the error is a fixed multiple of a power of it, with random signs
            spread[i] = (float) (1 + 0.9 * Math.sin(i % N / 7.0) * Math.cos(i / N / 5.0));
            truth[i] = output[i] - (random.nextBoolean() ? 1 : -1) * 3 * spread[i] * spread[i];
        }
        double fitted = InImageFit.spearman(image(output), image(baseline), image(spread), image(truth), everywhere());
        assertTrue(fitted > 0.95, "log |error| = log 3 + 2 log spread is inside the fit: " + fitted);
    }

    @Test
    void aWhiteErrorIsNotRankedEvenByAFitOnTheSameImage() {
        Random random = new Random(5);
        float[] output = ramp(), baseline = new float[N * N], spread = new float[N * N], truth = new float[N * N];
        for (int i = 0; i < spread.length; i++) {
            spread[i] = (float) (1 + random.nextDouble());
            baseline[i] = output[i] + (float) random.nextGaussian();
            truth[i] = output[i] + (float) random.nextGaussian();
        }
        double fitted = InImageFit.spearman(image(output), image(baseline), image(spread), image(truth), everywhere());
        assertTrue(Math.abs(fitted) < 0.1, "the held-out half's error is independent of every map: " + fitted);
    }

    @Test
    void tooFewPixelsGiveNoFigure() {
        boolean[] head = new boolean[N * N];
        head[0] = head[1] = head[N] = true;
        float[] any = ramp();
        assertTrue(Double.isNaN(InImageFit.spearman(image(any), image(any), image(any), image(any), head)));
    }

    private static float[] ramp() {
        float[] v = new float[N * N];
        for (int i = 0; i < v.length; i++) {
            v[i] = 100 + i % N + (i / N) * 0.5f;
        }
        return v;
    }

    private static boolean[] everywhere() {
        boolean[] head = new boolean[N * N];
        Arrays.fill(head, true);
        return head;
    }

    private static FloatImage image(float[] pixels) {
        return new FloatImage(N, N, pixels);
    }
}
