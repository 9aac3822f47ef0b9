package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * Ancestral sampling (Ho, Jain and Abbeel 2020, Algorithm 2) over any subset of timesteps: between two visited
 * timesteps t and s < t the step uses alpha = abar_t / abar_s, as in the respacing of Nichol and Dhariwal 2021.
 */
public final class DdpmScheduler extends SpacedScheduler {

    public DdpmScheduler(NoiseSchedule schedule) {
        super(schedule);
    }

    @Override
    public boolean stochastic() {
        return true;
    }

    @Override
    public NDArray step(NDArray predictedX0, int t, NDArray sample, NDArray noise) {
        int prev = Scheduler.previous(timesteps, t);
        double abT = schedule.alphaBar(t);
        double abPrev = schedule.alphaBar(prev);
        double alpha = abT / abPrev;
        double beta = 1 - alpha;
        // posterior mean of q(x_{t-1} | x_t, x_0), Ho et al. 2020 eq. 7
        double c0 = Math.sqrt(abPrev) * beta / (1 - abT);
        double ct = Math.sqrt(alpha) * (1 - abPrev) / (1 - abT);
        NDArray mean = predictedX0.mul(c0).add(sample.mul(ct));
        if (prev < 0) {
            return mean;
        }
        // posterior variance beta~_t = (1 - abar_{t-1}) / (1 - abar_t) beta_t, Ho et al. 2020 eq. 7
        double variance = (1 - abPrev) / (1 - abT) * beta;
        return mean.add(noise.mul(Math.sqrt(variance)));
    }
}
