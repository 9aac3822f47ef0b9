package io.scanenhancer.enhance;

/**
 * What a caller may choose per request. Null fields mean "the model's default".
 *
 * @param sampler  "ddim", "ddpm" (diffusion only)
 * @param steps    sampling steps
 * @param samples  number of posterior samples; more than one gives a posterior mean and a per-pixel standard deviation
 * @param seed     noise seed, so that a request can be reproduced exactly
 * @param strength fraction of the noise schedule to run; below 1 sampling starts from the regression prior
 */
public record EnhanceSettings(String sampler, Integer steps, Integer samples, Long seed, Double strength) {
    public EnhanceSettings(String sampler, Integer steps, Integer samples, Long seed) {
        this(sampler, steps, samples, seed, null);
    }

    public static EnhanceSettings defaults() {
        return new EnhanceSettings(null, null, null, null, null);
    }
}
