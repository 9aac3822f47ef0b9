package io.scanenhancer.diffusion;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearningRateScheduleTest {

    @Test
    void cosineStartsAtTheBaseHalvesAtTheMiddleAndEndsAtTheFloor() {
        LearningRateSchedule s = LearningRateSchedule.cosine(1e-3f, 0.1f, 1000);
        assertEquals(1e-3f, s.at(0), 1e-9);
        assertEquals(0.55e-3f, s.at(500), 1e-8); // floor + (base - floor) / 2
        assertEquals(1e-4f, s.at(1000), 1e-9);
        assertEquals(1e-4f, s.at(5000), 1e-9, "stays at the floor after the decay");
        for (int t = 1; t <= 1000; t++) {
            assertTrue(s.at(t) <= s.at(t - 1), "monotone at step " + t);
        }
    }

    @Test
    void constantIgnoresTheStep() {
        LearningRateSchedule s = LearningRateSchedule.constant(3e-4f);
        assertEquals(3e-4f, s.at(0));
        assertEquals(3e-4f, s.at(1_000_000));
    }

    @Test
    void refusesANonsensicalDecay() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(1e-3f, 0.1f, 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(1e-3f, 1.5f, 10));
    }
}
