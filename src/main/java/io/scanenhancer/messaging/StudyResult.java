package io.scanenhancer.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A result event (topic {@code imaging.study.enhanced}, key = Study Instance UID). Schema:
 * {@code src/main/resources/schemas/study-enhanced.schema.json}.
 *
 * @param status "succeeded" or "failed" (a failed request is also on the dead-letter topic)
 * @param reason why it failed; null on success
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StudyResult(String requestId, String status, String studyInstanceUid, String sourcePacs, String targetPacs,
                          List<Series> series, String modelId, String modelVersion, String method,
                          Boolean outOfDistribution, TimingsMs timingsMs, String reason, String errorCode,
                          String completedAt, String operation, MemorisationAudit memorisationAudit) {

    public StudyResult(String requestId, String status, String studyInstanceUid, String sourcePacs, String targetPacs,
                       List<Series> series, String modelId, String modelVersion, String method, Boolean outOfDistribution,
                       TimingsMs timingsMs, String reason, String errorCode, String completedAt) {
        this(requestId, status, studyInstanceUid, sourcePacs, targetPacs, series, modelId, modelVersion, method,
                outOfDistribution, timingsMs, reason, errorCode, completedAt, null, null);
    }

    /**
     * A synthesize result's audit summary: how many slices were drawn, how many published, how close the closest;
     * redrawn: rejected draws that were drawn again, within redrawBudget (null when not reported).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MemorisationAudit(int generated, int published, int rejected, double closestDistance, double threshold,
                                    String metric, Integer redrawn, Integer redrawBudget) {
        public MemorisationAudit(int generated, int published, int rejected, double closestDistance, double threshold, String metric) {
            this(generated, published, rejected, closestDistance, threshold, metric, null, null);
        }
    }

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /**
     * @param storedInstances              derived instances sent to the target by the attempt that succeeded
     * @param alreadyPresentInstances      derived instances the target already held (left by an interrupted attempt)
     * @param uncertaintySeriesInstanceUid the uncertainty (spread) series; null unless asked for
     * @param degradation                  enhance: how the input was made ("area", "kspace"), which chose the classical
     *                                     interpolation and whether the model ran; null for synthesize
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Series(String sourceSeriesInstanceUid, String derivedSeriesInstanceUid, int sourceInstances,
                         int derivedInstances, int storedInstances, int alreadyPresentInstances,
                         String uncertaintySeriesInstanceUid, String degradation) {
        public Series(String sourceSeriesInstanceUid, String derivedSeriesInstanceUid, int sourceInstances,
                      int derivedInstances, int storedInstances, int alreadyPresentInstances, String uncertaintySeriesInstanceUid) {
            this(sourceSeriesInstanceUid, derivedSeriesInstanceUid, sourceInstances, derivedInstances, storedInstances,
                    alreadyPresentInstances, uncertaintySeriesInstanceUid, null);
        }
    }

    public record TimingsMs(long retrieve, long enhance, long store, long total) {
    }
}
