package io.scanenhancer.job;

import java.util.List;

/** What a successful job stored, and how long each stage took. */
public record StudyOutcome(String requestId, String studyInstanceUid, List<SeriesOutcome> series, String modelId,
                           String modelVersion, String method, boolean outOfDistribution, StageTimings timings) {

    public record SeriesOutcome(String sourceSeriesInstanceUid, String derivedSeriesInstanceUid, int sourceInstances,
                                int derivedInstances) {
    }
}
