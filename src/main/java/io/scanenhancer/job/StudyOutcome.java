package io.scanenhancer.job;

import java.util.List;

/** What a successful job stored, and how long each stage took. */
public record StudyOutcome(String requestId, String studyInstanceUid, List<SeriesOutcome> series, String modelId,
                           String modelVersion, String method, boolean outOfDistribution, StageTimings timings) {

    /**
     * @param storedInstances         derived instances this attempt sent to the target PACS
     * @param alreadyPresentInstances derived instances the target held already (an earlier, interrupted attempt)
     */
    public record SeriesOutcome(String sourceSeriesInstanceUid, String derivedSeriesInstanceUid, int sourceInstances,
                                int derivedInstances, int storedInstances, int alreadyPresentInstances) {

        /** Before the store phase: nothing stored yet. */
        public SeriesOutcome(String sourceSeriesInstanceUid, String derivedSeriesInstanceUid, int sourceInstances,
                             int derivedInstances) {
            this(sourceSeriesInstanceUid, derivedSeriesInstanceUid, sourceInstances, derivedInstances, 0, 0);
        }

        SeriesOutcome afterStore(StoreDecision decision) {
            return new SeriesOutcome(sourceSeriesInstanceUid, derivedSeriesInstanceUid, sourceInstances, derivedInstances,
                    decision.missing().size(), decision.alreadyPresent());
        }
    }
}
