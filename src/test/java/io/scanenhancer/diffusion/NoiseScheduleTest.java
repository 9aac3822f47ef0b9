package io.scanenhancer.diffusion;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoiseScheduleTest {

    @Test
    void cosineScheduleDecreasesFromOneTowardsZero() {
        NoiseSchedule s = NoiseSchedule.cosine(1000);
        assertEquals(1.0, s.alphaBar(-1));
        for (int t = 0; t < 1000; t++) {
            assertTrue(s.alphaBar(t) < s.alphaBar(t - 1), "abar must fall at t=" + t);
            assertTrue(s.beta(t) > 0 && s.beta(t) <= 0.999 + 1e-12, "beta out of range at t=" + t);
        }
        assertTrue(s.alphaBar(999) < 1e-6, "the last step must be (almost) pure noise");
    }

    @Test
    void matchesTheClosedFormOfNicholAndDhariwal() {
        NoiseSchedule s = NoiseSchedule.cosine(1000);
        // abar_t = f(t+1)/f(0) with f(t) = cos^2(((t/T + s)/(1 + s)) pi/2), s = 0.008, away from the clipped end
        for (int t : new int[] {0, 1, 250, 500, 750}) {
            double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
            double ft = Math.pow(Math.cos(((t + 1) / 1000.0 + 0.008) / 1.008 * Math.PI / 2), 2);
            assertEquals(ft / f0, s.alphaBar(t), 1e-9, "t=" + t);
        }
        assertEquals(0.5, s.alphaBar(500), 0.02, "the cosine schedule is about half signal at the midpoint");
    }

    @Test
    void trailingTimestepsStartAtTheLastTrainingStep() {
        assertArrayEquals(new int[] {999, 749, 499, 249}, Scheduler.trailingTimesteps(1000, 4));
        assertArrayEquals(new int[] {999}, Scheduler.trailingTimesteps(1000, 1));
        assertEquals(-1, Scheduler.previous(new int[] {999, 499}, 499));
    }

    @Test
    void strengthKeepsOnlyTheLowNoiseEndOfTheSchedule() {
        DdimScheduler ddim = new DdimScheduler(NoiseSchedule.cosine(1000), 0);
        ddim.setTimesteps(2, 0.3);
        assertArrayEquals(new int[] {299, 149}, ddim.timesteps());
        ddim.setTimesteps(4);
        assertArrayEquals(new int[] {999, 749, 499, 249}, ddim.timesteps());
    }
}
