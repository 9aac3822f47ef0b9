package io.scanenhancer.enhance;

/**
 * What a caller may choose per request. Null fields mean "the model's default".
 *
 * @param sampler  "ddim", "ddpm" (diffusion only)
 * @param steps    sampling steps
 * @param samples  number of posterior samples; more than one gives a posterior mean and a per-pixel standard deviation
 * @param seed     noise seed, so that a request can be reproduced exactly
 */
public record EnhanceSettings(String sampler, Integer steps, Integer samples, Long seed) {
    public static EnhanceSettings defaults() {
        return new EnhanceSettings(null, null, null, null);
    }
}
