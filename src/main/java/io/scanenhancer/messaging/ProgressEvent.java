package io.scanenhancer.messaging;

/**
 * A progress event (topic {@code enhancer.topics.progress}, key = request id): slices retrieved, enhanced and stored
 * of {@code total}, after each batch. Advisory: the result event on the results topic is the job's outcome.
 */
public record ProgressEvent(String requestId, String studyInstanceUid, String stage, int total, int retrieved,
                            int enhanced, int stored, String at) {
}
