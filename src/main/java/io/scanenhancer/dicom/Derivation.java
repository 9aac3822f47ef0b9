package io.scanenhancer.dicom;

import io.scanenhancer.image.SpreadMethod;

/**
 * What produced a derived object; everything that makes its pixels what they are.
 *
 * @param modelId            the enhancer's model id (Enhancer.modelId())
 * @param modelVersion       the enhancer's model version
 * @param scale              the enhancement factor along rows and columns
 * @param method             what produced the pixels, e.g. "diffusion ddim 8 steps" or "bicubic"
 * @param parameters         the operation's parameters in a canonical text form (steps, seed, ...); part of the UIDs
 * @param outOfDistribution  the guard flagged the input as unlike the training data
 * @param note               free text recorded in Image Comments (may be null)
 * @param uidRoot            organisational UID root for derived UIDs; null or blank means the 2.25 form
 */
public record Derivation(String modelId, String modelVersion, int scale, String method, String parameters,
                         boolean outOfDistribution, String note, String uidRoot) {
    public Derivation {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("modelId is required");
        }
        if (modelVersion == null || modelVersion.isBlank()) {
            throw new IllegalArgumentException("modelVersion is required");
        }
        if (scale < 2 || scale > 8) {
            throw new IllegalArgumentException("scale must be 2..8, was " + scale);
        }
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("method is required");
        }
        parameters = parameters == null ? "" : parameters;
    }

    /**
     * The derivation of the uncertainty series that accompanies this one: the per-pixel standard deviation over
     * {@code samples} posterior samples. Its parameters differ, so its UIDs differ from the enhanced series'.
     */
    public Derivation uncertainty(int samples) {
        return uncertainty(samples, 1.0);
    }

    public Derivation uncertainty(int samples, double spreadFactor) {
        return uncertainty(samples, spreadFactor, SpreadMethod.POSTERIOR);
    }

    /**
     * @param spreadFactor the calibration factor c the spread was multiplied by (1: none). It changes the pixels, so it
     *                     enters the parameters (and the UIDs) and the description says it; so does the spread's method.
     */
    public Derivation uncertainty(int samples, double spreadFactor, SpreadMethod spread) {
        String calibrated = spreadFactor == 1.0 ? "" : String.format(java.util.Locale.ROOT,
                ", multiplied by the calibration factor %.2f (chosen on validation data so that +-2 times it covers 95 %% of the head)", spreadFactor);
        return new Derivation(modelId, modelVersion, scale, spread.describe(samples, method) + calibrated, parameters + " "
                + spread.outputParameter() + (spreadFactor == 1.0 ? "" : String.format(java.util.Locale.ROOT, " sd-factor=%.4f", spreadFactor)),
                outOfDistribution, note, uidRoot);
    }

    public boolean isUncertainty() {
        return parameters.contains(" output=posterior-sd") || parameters.contains(" output=self-test-error");
    }
}
