package io.scanenhancer.diffusion;

/**
 * How to draw from the model.
 *
 * @param sampler "ddim" (deterministic given the seed), "ddpm" (ancestral) or "regression" (one network pass, no noise;
 *                only for the regression baseline's weights)
 * @param steps   sampling steps (1 .. trainTimesteps)
 * @param samples posterior samples per image; with more than one the result holds their mean and standard deviation
 * @param seed    seed of all noise drawn
 * @param strength fraction of the schedule to run, in (0, 1]. At 1 sampling starts from pure noise; below 1 it starts
 *                 from the regression prior's estimate diffused to timestep strength * T, as in Come-Closer-Diffuse-Faster
 *                 (Chung, Sim and Ye 2022), which needs far fewer steps (SDEdit's "strength", Meng et al. 2022)
 */
public record SamplerSettings(String sampler, int steps, int samples, long seed, double strength) {
    public SamplerSettings(String sampler, int steps, int samples, long seed) {
        this(sampler, steps, samples, seed, 1.0);
    }

    public SamplerSettings {
        if (!(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in (0, 1], got " + strength);
        }
        if (!sampler.equals("ddim") && !sampler.equals("ddpm") && !sampler.equals("regression")) {
            throw new IllegalArgumentException("unknown sampler '" + sampler + "': use ddim or ddpm");
        }
        if (steps < 1 || steps > 1000) {
            throw new IllegalArgumentException("steps must be between 1 and 1000, got " + steps);
        }
        if (samples < 1 || samples > 64) {
            throw new IllegalArgumentException("samples must be between 1 and 64, got " + samples);
        }
    }
}
