package io.scanenhancer.enhance;

import io.scanenhancer.diffusion.Degradation;

/**
 * What a caller may choose per request. Null fields mean "the model's default".
 *
 * @param sampler  "ddim", "ddpm" (diffusion only)
 * @param steps    sampling steps
 * @param samples  number of posterior samples; more than one gives a posterior mean and a per-pixel standard deviation
 * @param seed     noise seed, so that a request can be reproduced exactly
 * @param strength fraction of the noise schedule to run; below 1 sampling starts from the regression prior
 * @param uncertainty posterior samples to draw for an uncertainty series beside the derived one (their standard
 *                    deviation); the derived series then holds their mean. Null: no uncertainty series
 * @param degradation how the input was made (null: not said; the job resolves it by modality, see {@link #resolvedFor});
 *                    decides the classical interpolation
 *                    and whether the model may run at all (only for degradations it was trained for)
 */
public record EnhanceSettings(String sampler, Integer steps, Integer samples, Long seed, Double strength, Integer uncertainty,
                              Degradation degradation) {
    public EnhanceSettings {
        if (uncertainty != null && (uncertainty < 2 || uncertainty > 64)) {
            throw new IllegalArgumentException("uncertainty needs 2 to 64 posterior samples, got " + uncertainty);
        }
        if (uncertainty != null && samples != null && !samples.equals(uncertainty)) {
            throw new IllegalArgumentException("samples (" + samples + ") and uncertainty (" + uncertainty
                    + ") disagree: uncertainty N draws N samples");
        }
    }

    public EnhanceSettings(String sampler, Integer steps, Integer samples, Long seed, Double strength, Integer uncertainty) {
        this(sampler, steps, samples, seed, strength, uncertainty, null);
    }

    public EnhanceSettings(String sampler, Integer steps, Integer samples, Long seed, Double strength) {
        this(sampler, steps, samples, seed, strength, null);
    }

    public EnhanceSettings(String sampler, Integer steps, Integer samples, Long seed) {
        this(sampler, steps, samples, seed, null, null);
    }

    public static EnhanceSettings defaults() {
        return new EnhanceSettings(null, null, null, null, null, null, null);
    }

    /** The same settings for inputs made by {@code d}. */
    public EnhanceSettings withDegradation(Degradation d) {
        return new EnhanceSettings(sampler, steps, samples, seed, strength, uncertainty, d);
    }

    /**
     * These settings with the degradation decided: the one asked for, else {@link Degradation#defaultFor} the modalities
     * of the series enhanced. Resolved once per study, before any derived UID is computed, since the degradation enters
     * them.
     */
    public EnhanceSettings resolvedFor(java.util.Collection<String> modalities) {
        return degradation != null ? this : withDegradation(Degradation.defaultFor(modalities));
    }

    /** The degradation asked for (or resolved), or {@link Degradation#DEFAULT} when nobody said. */
    public Degradation degradationOrDefault() {
        return degradation == null ? Degradation.DEFAULT : degradation;
    }

    /** The posterior samples asked for, by either field; null for the model's default. */
    public Integer samplesAsked() {
        return uncertainty != null ? uncertainty : samples;
    }
}
