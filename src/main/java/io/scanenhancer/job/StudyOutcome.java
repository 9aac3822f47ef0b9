package io.scanenhancer.job;

import java.util.List;

/** What a successful job stored, and how long each stage took. */
public record StudyOutcome(String requestId, String studyInstanceUid, List<SeriesOutcome> series, String modelId,
                           String modelVersion, String method, boolean outOfDistribution, StageTimings timings) {

    /** @param uncertaintySeriesInstanceUid the posterior standard deviation series, or null when none was asked for */
    public record SeriesOutcome(String sourceSeriesInstanceUid, String derivedSeriesInstanceUid, int sourceInstances,
                                int derivedInstances, String uncertaintySeriesInstanceUid) {
        public SeriesOutcome(String sourceSeriesInstanceUid, String derivedSeriesInstanceUid, int sourceInstances, int derivedInstances) {
            this(sourceSeriesInstanceUid, derivedSeriesInstanceUid, sourceInstances, derivedInstances, null);
        }
    }
}
