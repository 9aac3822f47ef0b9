package io.scanenhancer.diffusion;

/**
 * What the network is given and what it predicts, beyond the images themselves: whether a constant input channel
 * tells it how the low-resolution input was made, and whether its x0 is the residual over the classical
 * interpolation or the image itself. Recorded in config.json ({@link ModelConfig#formulation()}); a config without
 * it (v2) is {@link #V2}.
 */
public record Formulation(DegradationConditioning degradationConditioning, Target target) {
    /** v2's: two input channels (noisy x_t, interpolated input), residual target. */
    public static final Formulation V2 = new Formulation(DegradationConditioning.NONE, Target.RESIDUAL);

    /** How the network learns which degradation made its input. */
    public enum DegradationConditioning {
        /** Not at all: one model per degradation, or one model for a mix that must work out the degradation itself. */
        NONE,
        /** A third input channel, constant over the image: {@link Degradation#code()}. */
        CHANNEL
    }

    /** What x0, the variable the network regresses or diffuses, is. */
    public enum Target {
        /** x0 = k (HR - baseline(LR)): the detail the classical interpolation lacks, scaled to about unit variance. */
        RESIDUAL,
        /** x0 = HR in normalised intensity: the network must also reproduce what the interpolation already had. */
        DIRECT
    }

    public Formulation {
        if (degradationConditioning == null || target == null) {
            throw new IllegalArgumentException("formulation needs both its conditioning and its target");
        }
    }

    /** The formulation a config records, or v2's where it records none. */
    public static Formulation of(ModelConfig config) {
        return config.formulation() == null ? V2 : config.formulation();
    }

    /** Image channels of the network's input: x_t, the interpolated input, and the degradation code if conditioned. */
    public int imageChannels() {
        return degradationConditioning == DegradationConditioning.CHANNEL ? 3 : 2;
    }
}
