package io.scanenhancer.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A request event (topic {@code imaging.study.requested}, key = Study Instance UID). Schema:
 * {@code src/main/resources/schemas/study-requested.schema.json}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StudyRequest(String requestId, String studyInstanceUid, List<String> seriesInstanceUids, String sourcePacs,
                           String targetPacs, String operation, Integer scale, Sampler sampler, Long seed,
                           Integer batchSize) {

    public static final String OPERATION_ENHANCE = "enhance";
    /** Largest batch a request may ask for (slices per enhancer call). */
    public static final int MAX_BATCH_SIZE = 64;

    public StudyRequest(String requestId, String studyInstanceUid, List<String> seriesInstanceUids, String sourcePacs,
                        String targetPacs, String operation, Integer scale, Sampler sampler, Long seed) {
        this(requestId, studyInstanceUid, seriesInstanceUids, sourcePacs, targetPacs, operation, scale, sampler, seed, null);
    }

    /** Optional sampler settings; nulls = the model's defaults. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sampler(String name, Integer steps, Integer samples, Double strength) {
    }
}
