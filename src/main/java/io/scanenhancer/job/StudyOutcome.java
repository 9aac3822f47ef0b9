package io.scanenhancer.job;

import java.util.List;

/** What a successful job stored, and how long each stage took. */
public record StudyOutcome(String requestId, String studyInstanceUid, List<SeriesOutcome> series, String modelId,
                           String modelVersion, String method, boolean outOfDistribution, StageTimings timings) {

    /**
     * @param storedInstances              derived instances this attempt sent to the target PACS
     * @param alreadyPresentInstances      derived instances the target held already (an earlier, interrupted attempt)
     * @param uncertaintySeriesInstanceUid the posterior standard deviation series, or null when none was asked for
     */
    public record SeriesOutcome(String sourceSeriesInstanceUid, String derivedSeriesInstanceUid, int sourceInstances,
                                int derivedInstances, int storedInstances, int alreadyPresentInstances,
                                String uncertaintySeriesInstanceUid) {

        /** Before the store phase: nothing stored yet. */
        public SeriesOutcome(String sourceSeriesInstanceUid, String derivedSeriesInstanceUid, int sourceInstances,
                             int derivedInstances) {
            this(sourceSeriesInstanceUid, derivedSeriesInstanceUid, sourceInstances, derivedInstances, 0, 0, null);
        }

        SeriesOutcome withUncertainty(String uid) {
            return new SeriesOutcome(sourceSeriesInstanceUid, derivedSeriesInstanceUid, sourceInstances, derivedInstances,
                    storedInstances, alreadyPresentInstances, uid);
        }

        SeriesOutcome afterStore(StoreDecision decision) {
            return new SeriesOutcome(sourceSeriesInstanceUid, derivedSeriesInstanceUid, sourceInstances, derivedInstances,
                    decision.missing().size(), decision.alreadyPresent(), uncertaintySeriesInstanceUid);
        }
    }
}
