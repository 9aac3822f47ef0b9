package io.scanenhancer.diffusion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to rebuild a shipped model and use it exactly as trained; stored as {@code config.json} beside
 * the weights. {@code weightsSha256} is checked at load time. {@code formulation}: the network's inputs and target
 * where they differ from v2's; absent (null) in a v2 config, read as {@link Formulation#V2} ({@link Formulation#of}).
 */
public record ModelConfig(
        String id,
        String version,
        int scale,
        int[] channels,
        String prediction,
        String schedule,
        int trainTimesteps,
        float residualScale,
        Normalisation normalisation,
        Sampling sampling,
        Guard guard,
        Training training,
        String weightsFile,
        String weightsSha256,
        String priorWeightsFile,
        String priorWeightsSha256,
        @JsonInclude(JsonInclude.Include.NON_NULL) Formulation formulation,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> degradations,
        @JsonInclude(JsonInclude.Include.NON_NULL) SpreadCalibration spreadCalibration) {

    /** What a model was trained for when its config does not say: every model before issue 20 saw box averaging only. */
    public static final List<String> DEFAULT_DEGRADATIONS = List.of("area");

    /** A config without the degradations field (null: {@link #DEFAULT_DEGRADATIONS}). */
    public ModelConfig(String id, String version, int scale, int[] channels, String prediction, String schedule,
                       int trainTimesteps, float residualScale, Normalisation normalisation, Sampling sampling, Guard guard,
                       Training training, String weightsFile, String weightsSha256, String priorWeightsFile,
                       String priorWeightsSha256, Formulation formulation) {
        this(id, version, scale, channels, prediction, schedule, trainTimesteps, residualScale, normalisation, sampling, guard,
                training, weightsFile, weightsSha256, priorWeightsFile, priorWeightsSha256, formulation, null, null);
    }

    /** A config without a spread calibration (the posterior spread is published as sampled). */
    public ModelConfig(String id, String version, int scale, int[] channels, String prediction, String schedule,
                       int trainTimesteps, float residualScale, Normalisation normalisation, Sampling sampling, Guard guard,
                       Training training, String weightsFile, String weightsSha256, String priorWeightsFile,
                       String priorWeightsSha256, Formulation formulation, List<String> degradations) {
        this(id, version, scale, channels, prediction, schedule, trainTimesteps, residualScale, normalisation, sampling, guard,
                training, weightsFile, weightsSha256, priorWeightsFile, priorWeightsSha256, formulation, degradations, null);
    }

    /**
     * The input degradations ("area", "kspace") the weights were trained and measured for; the service runs the model
     * only on those and answers any other with the degradation's classical interpolation.
     */
    public List<String> trainedDegradations() {
        return degradations == null ? DEFAULT_DEGRADATIONS : degradations;
    }

    /**
     * The factor c by which the spread is multiplied before it is published, per degradation id, chosen on the
     * validation set (never the held-out slab) so that mean +- 2 c spread covers 95 % of the pixels inside the head;
     * {@code chosenOn} says with which samples, sampler and images. A degradation without a factor gets 1. The spread is
     * the posterior samples' standard deviation, or with {@code method} "self-test" the model's error one scale down,
     * enlarged and smoothed by {@code blurSigma} output pixels (io.scanenhancer.enhance.SelfTestSpread), with
     * {@code gradientBlur} weighed by the output's smoothed gradient magnitude, plus {@code noiseFloor} input noise sds.
     */
    public record SpreadCalibration(Map<String, Double> factor, String chosenOn,
                                    @JsonInclude(JsonInclude.Include.NON_NULL) String method,
                                    @JsonInclude(JsonInclude.Include.NON_NULL) Double blurSigma,
                                    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> noiseFloor,
                                    @JsonInclude(JsonInclude.Include.NON_NULL) Double gradientBlur) {
        /** The posterior's standard deviation, scaled by {@code factor}. */
        public SpreadCalibration(Map<String, Double> factor, String chosenOn) {
            this(factor, chosenOn, null, null, null, null);
        }

        /** A spread without a noise floor. */
        public SpreadCalibration(Map<String, Double> factor, String chosenOn, String method, Double blurSigma) {
            this(factor, chosenOn, method, blurSigma, null, null);
        }

        /** A self-test spread's weighing by the output's gradient: its Gaussian smoothing in output pixels (0 when absent: none). */
        public double gradientBlurOrZero() {
            return gradientBlur == null ? 0 : gradientBlur;
        }

        /** A self-test spread's noise floor for inputs of this degradation, in units of the input's noise sd (0 when absent). */
        public double noiseFloorFor(String degradation) {
            Double f = noiseFloor == null ? null : noiseFloor.get(degradation);
            return f == null ? 0 : f;
        }

        /** "posterior" (also when absent: every config before the self-test spread) or "self-test". */
        public String methodOrDefault() {
            return method == null ? "posterior" : method;
        }

        /** Gaussian smoothing of a self-test spread in output pixels (0 when absent). */
        public double blurSigmaOrZero() {
            return blurSigma == null ? 0 : blurSigma;
        }

        public double factorFor(String degradation) {
            Double f = factor == null ? null : factor.get(degradation);
            return f == null ? 1.0 : f;
        }
    }

    /** The spread factor for inputs of this degradation (1 without a calibration). */
    public double spreadFactor(String degradation) {
        return spreadCalibration == null ? 1.0 : spreadCalibration.factorFor(degradation);
    }

    /** Per-image affine map from the low-resolution input's percentiles to [-1, 1]. */
    public record Normalisation(String method, double lowPercentile, double highPercentile) {
    }

    /**
     * The service default: sampler, steps, posterior samples, and the strength (the fraction of the schedule the
     * sampler starts from; below 1 it starts from the regression prior's estimate, see {@link SamplerSettings}).
     */
    public record Sampling(String sampler, int steps, int samples, long seed, double strength,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Double kspaceEstimateError) {
        public Sampling(String sampler, int steps, int samples, long seed, double strength) {
            this(sampler, steps, samples, seed, strength, null);
        }

        /**
         * For k-space inputs, the share of the network's own estimate that the data-consistency step keeps inside the
         * acquired k-space window, for an input whose noise sd is {@code noiseSd} (normalised units): a Wiener weight
         * sigma^2 / (sigma^2 + tau^2) between two estimates of the window, the input's (error: its noise) and the
         * network's (error: about tau = {@code kspaceEstimateError}). Without tau (v5 and before) the weight is 0: the
         * hard projection, which puts the input's window back unchanged, noise and all ({@link KspaceProjection}).
         */
        public double kspaceEstimateWeight(double noiseSd) {
            if (kspaceEstimateError == null || noiseSd <= 0) {
                return 0;
            }
            double n2 = noiseSd * noiseSd;
            return n2 / (n2 + kspaceEstimateError * kspaceEstimateError);
        }

        public Sampling withKspaceEstimateError(Double tau) {
            return new Sampling(sampler, steps, samples, seed, strength, tau);
        }
    }

    /**
     * The out-of-distribution guard: the model is applied to the input degraded 2x once more the way it was made (box
     * average or k-space truncation), where the truth is known; if it loses there to that degradation's classical
     * interpolation (bicubic or zero-fill) by more than {@code maxLossDb}, the input counts as out of distribution.
     */
    public record Guard(String method, double maxLossDb) {
    }

    /** How the weights were made (data, slab held out, steps, seed, wall time). */
    public record Training(Map<String, Object> details) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static ModelConfig read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), ModelConfig.class);
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), this);
    }

    public ModelConfig withWeights(String file, String sha256) {
        return new ModelConfig(id, version, scale, channels, prediction, schedule, trainTimesteps, residualScale,
                normalisation, sampling, guard, training, file, sha256, priorWeightsFile, priorWeightsSha256, formulation, degradations, spreadCalibration);
    }

    public ModelConfig withPrior(String file, String sha256) {
        return new ModelConfig(id, version, scale, channels, prediction, schedule, trainTimesteps, residualScale,
                normalisation, sampling, guard, training, weightsFile, weightsSha256, file, sha256, formulation, degradations, spreadCalibration);
    }

    public ModelConfig withTraining(Training t) {
        return new ModelConfig(id, version, scale, channels, prediction, schedule, trainTimesteps, residualScale,
                normalisation, sampling, guard, t, weightsFile, weightsSha256, priorWeightsFile, priorWeightsSha256, formulation, degradations, spreadCalibration);
    }

    public ModelConfig withSampling(Sampling s) {
        return new ModelConfig(id, version, scale, channels, prediction, schedule, trainTimesteps, residualScale,
                normalisation, s, guard, training, weightsFile, weightsSha256, priorWeightsFile, priorWeightsSha256, formulation, degradations, spreadCalibration);
    }

    public ModelConfig withSpreadCalibration(SpreadCalibration c) {
        return new ModelConfig(id, version, scale, channels, prediction, schedule, trainTimesteps, residualScale,
                normalisation, sampling, guard, training, weightsFile, weightsSha256, priorWeightsFile, priorWeightsSha256, formulation,
                degradations, c);
    }

    public ModelConfig withFormulation(Formulation f) {
        return new ModelConfig(id, version, scale, channels, prediction, schedule, trainTimesteps, residualScale,
                normalisation, sampling, guard, training, weightsFile, weightsSha256, priorWeightsFile, priorWeightsSha256, f, degradations, spreadCalibration);
    }
}
