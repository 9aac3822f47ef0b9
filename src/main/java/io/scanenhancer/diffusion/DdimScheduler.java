package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;

/** DDIM (Song, Meng and Ermon 2021); eta = 0 gives the deterministic sampler used by default. */
public final class DdimScheduler extends SpacedScheduler {
    private final double eta;

    public DdimScheduler(NoiseSchedule schedule, double eta) {
        super(schedule);
        this.eta = eta;
    }

    @Override
    public boolean stochastic() {
        return eta > 0;
    }

    @Override
    public NDArray step(NDArray predictedX0, int t, NDArray sample, NDArray noise) {
        int prev = Scheduler.previous(timesteps, t);
        double abT = schedule.alphaBar(t);
        double abPrev = schedule.alphaBar(prev);
        // sigma_t(eta), Song et al. 2021 eq. 16
        double sigma = eta * Math.sqrt((1 - abPrev) / (1 - abT)) * Math.sqrt(1 - abT / abPrev);
        NDArray eps = DiffusionMath.epsFromX0(sample, predictedX0, DiffusionMath.Level.at(sample.getManager(), schedule, t));
        // x_{t-1} = sqrt(abar_{t-1}) x_0 + sqrt(1 - abar_{t-1} - sigma^2) eps + sigma z  (Song et al. 2021, eq. 12)
        NDArray next = predictedX0.mul(Math.sqrt(abPrev)).add(eps.mul(Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma))));
        if (sigma > 0 && prev >= 0) {
            next = next.add(noise.mul(sigma));
        }
        return next;
    }
}
