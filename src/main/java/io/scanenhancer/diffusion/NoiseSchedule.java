package io.scanenhancer.diffusion;

/**
 * The forward process q(x_t | x_0) = N(sqrt(abar_t) x_0, (1 - abar_t) I) (Ho et al. 2020, eq. 4), with the cosine
 * schedule of Nichol and Dhariwal 2021 (eq. 17): abar_t = f(t) / f(0), f(t) = cos^2(((t/T + s) / (1 + s)) * pi / 2).
 * Timesteps are 0 .. T-1; beta_t is clipped at 0.999 as in that paper so that the last step stays finite.
 */
public final class NoiseSchedule {
    private static final double S = 0.008;
    private static final double MAX_BETA = 0.999;

    private final double[] alphaBar;

    private NoiseSchedule(double[] alphaBar) {
        this.alphaBar = alphaBar;
    }

    public static NoiseSchedule cosine(int trainTimesteps) {
        if (trainTimesteps < 2) {
            throw new IllegalArgumentException("need at least 2 timesteps");
        }
        double[] ab = new double[trainTimesteps];
        double prev = 1.0;
        for (int t = 0; t < trainTimesteps; t++) {
            double beta = Math.min(1 - f(t + 1, trainTimesteps) / f(t, trainTimesteps), MAX_BETA);
            prev *= 1 - beta;
            ab[t] = prev;
        }
        return new NoiseSchedule(ab);
    }

    private static double f(double t, int total) {
        double c = Math.cos((t / total + S) / (1 + S) * Math.PI / 2);
        return c * c;
    }

    public int trainTimesteps() {
        return alphaBar.length;
    }

    /** abar_t; by convention abar_{-1} = 1 (the clean image). */
    public double alphaBar(int t) {
        return t < 0 ? 1.0 : alphaBar[t];
    }

    public double beta(int t) {
        return 1 - alphaBar(t) / alphaBar(t - 1);
    }
}
