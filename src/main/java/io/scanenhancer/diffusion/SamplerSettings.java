package io.scanenhancer.diffusion;

/**
 * How to draw from the model.
 *
 * @param sampler "ddim" (deterministic given the seed), "ddpm" (ancestral) or "regression" (one network pass, no noise;
 *                only for the regression baseline's weights)
 * @param steps   sampling steps (1 .. trainTimesteps)
 * @param samples posterior samples per image; with more than one the result holds their mean and standard deviation
 * @param seed    seed of all noise drawn
 */
public record SamplerSettings(String sampler, int steps, int samples, long seed) {
    public SamplerSettings {
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
