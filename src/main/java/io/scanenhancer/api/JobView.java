package io.scanenhancer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code GET /jobs/{id}} answers. status: queued (published, not picked up yet), running, succeeded, failed.
 * result: the result event of the results topic once the job is finished.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(String jobId, String studyInstanceUid, String status, String submittedAt, String updatedAt,
                      Progress progress, JsonNode result, Links links) {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";

    /** Slices of the study: the stage the job is in, and done of total for each stage. */
    public record Progress(String stage, int total, Stage retrieve, Stage enhance, Stage store) {
    }

    public record Stage(int done, int total) {
    }

    public record Links(String self, String preview) {
    }
}
