package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Closed-form cases: with the true x0 the samplers must land exactly where the forward process says. */
class SchedulerStepTest {
    private final NoiseSchedule schedule = NoiseSchedule.cosine(1000);

    @Test
    void ddimWithTheTrueCleanImageFollowsTheSameNoise() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = m.create(new float[] {0.5f, -1f, 2f, 0f});
            NDArray eps = m.create(new float[] {1f, 0.3f, -0.7f, 2f});
            DdimScheduler ddim = new DdimScheduler(schedule, 0);
            ddim.setTimesteps(4);
            int t = 749, prev = 499;
            NDArray xt = x0.mul(Math.sqrt(schedule.alphaBar(t))).add(eps.mul(Math.sqrt(1 - schedule.alphaBar(t))));
            NDArray next = ddim.step(x0, t, xt, null);
            // eta = 0: x_{t-1} = sqrt(abar_prev) x0 + sqrt(1 - abar_prev) eps with the very same eps
            NDArray expected = x0.mul(Math.sqrt(schedule.alphaBar(prev))).add(eps.mul(Math.sqrt(1 - schedule.alphaBar(prev))));
            assertArrayEquals(expected.toFloatArray(), next.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void theLastStepOfEitherSamplerReturnsTheCleanImage() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = m.create(new float[] {0.25f, -0.5f, 1.5f});
            NDArray xt = m.create(new float[] {3f, -2f, 0.1f});
            NDArray noise = m.create(new float[] {1f, 1f, 1f});
            for (Scheduler s : new Scheduler[] {new DdimScheduler(schedule, 0), new DdpmScheduler(schedule)}) {
                s.setTimesteps(4);
                assertArrayEquals(x0.toFloatArray(), s.step(x0, 249, xt, noise).toFloatArray(), 1e-5f, s.getClass().getSimpleName());
            }
        }
    }

    @Test
    void ddpmStepIsThePosteriorMeanPlusItsVariance() {
        try (NDManager m = NDManager.newBaseManager()) {
            DdpmScheduler ddpm = new DdpmScheduler(schedule);
            ddpm.setTimesteps(2); // timesteps 999, 499
            NDArray x0 = m.create(new float[] {1f});
            NDArray xt = m.create(new float[] {-1f});
            NDArray z = m.create(new float[] {0.5f});
            double abT = schedule.alphaBar(999), abP = schedule.alphaBar(499), alpha = abT / abP, beta = 1 - alpha;
            double mean = Math.sqrt(abP) * beta / (1 - abT) * 1 + Math.sqrt(alpha) * (1 - abP) / (1 - abT) * -1;
            double sd = Math.sqrt((1 - abP) / (1 - abT) * beta);
            assertArrayEquals(new float[] {(float) (mean + sd * 0.5)}, ddpm.step(x0, 999, xt, z).toFloatArray(), 1e-5f);
        }
    }
}
