package io.scanenhancer.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A request event (topic {@code imaging.study.requested}, key = Study Instance UID). Schema:
 * {@code src/main/resources/schemas/study-requested.schema.json}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StudyRequest(String requestId, String studyInstanceUid, List<String> seriesInstanceUids, String sourcePacs,
                           String targetPacs, String operation, Integer scale, Sampler sampler, Long seed,
                           Integer uncertainty, Integer count, Integer batchSize, Double spacing, String renderer,
                           String degradation) {

    public static final String OPERATION_ENHANCE = "enhance";
    public static final String OPERATION_SYNTHESIZE = "synthesize";
    /** Largest batch a request may ask for (slices per enhancer call). */
    public static final int MAX_BATCH_SIZE = 64;
    /** Most series one request may name. */
    public static final int MAX_SERIES = 1000;

    public StudyRequest(String requestId, String studyInstanceUid, List<String> seriesInstanceUids, String sourcePacs,
                        String targetPacs, String operation, Integer scale, Sampler sampler, Long seed) {
        this(requestId, studyInstanceUid, seriesInstanceUids, sourcePacs, targetPacs, operation, scale, sampler, seed, null, null, null);
    }

    public StudyRequest(String requestId, String studyInstanceUid, List<String> seriesInstanceUids, String sourcePacs,
                        String targetPacs, String operation, Integer scale, Sampler sampler, Long seed,
                        Integer uncertainty, Integer count, Integer batchSize) {
        this(requestId, studyInstanceUid, seriesInstanceUids, sourcePacs, targetPacs, operation, scale, sampler, seed, uncertainty,
                count, batchSize, null, null, null);
    }

    public StudyRequest(String requestId, String studyInstanceUid, List<String> seriesInstanceUids, String sourcePacs,
                        String targetPacs, String operation, Integer scale, Sampler sampler, Long seed, Integer uncertainty,
                        Integer count, Integer batchSize, Double spacing, String renderer) {
        this(requestId, studyInstanceUid, seriesInstanceUids, sourcePacs, targetPacs, operation, scale, sampler, seed, uncertainty,
                count, batchSize, spacing, renderer, null);
    }

    /** A synthesize request: a new study of {@code count} slices into {@code targetPacs}; no source, no study UID. */
    public static StudyRequest synthesize(String requestId, String targetPacs, int count, long seed) {
        return synthesize(requestId, targetPacs, count, seed, null, null);
    }

    /** With the slice spacing (mm; null: the default) and the renderer ("diffusion", "labels" or "generator"; null: diffusion). */
    public static StudyRequest synthesize(String requestId, String targetPacs, int count, long seed, Double spacing, String renderer) {
        return new StudyRequest(requestId, null, null, null, targetPacs, OPERATION_SYNTHESIZE, null, null, seed, null, count, null,
                spacing, renderer);
    }

    public boolean isSynthesize() {
        return OPERATION_SYNTHESIZE.equals(operation);
    }

    /** Optional sampler settings; nulls = the model's defaults. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sampler(String name, Integer steps, Integer samples, Double strength) {
    }
}
