package io.scanenhancer.job;

import java.util.List;

/** What a successful job stored, and how long each stage took. */
public record StudyOutcome(String requestId, String studyInstanceUid, List<SeriesOutcome> series, String modelId,
                           String modelVersion, String method, boolean outOfDistribution, StageTimings timings) {

    /**
     * @param storedInstances              derived instances this attempt sent to the target PACS
     * @param alreadyPresentInstances      derived instances the target held already (an earlier, interrupted attempt)
     * @param uncertaintySeriesInstanceUid the uncertainty (spread) series, or null when none was asked for
     * @param degradation                  how the request said the input was made ("area", "kspace"; the default when
     *                                     it did not say)
     */
    public record SeriesOutcome(String sourceSeriesInstanceUid, String derivedSeriesInstanceUid, int sourceInstances,
                                int derivedInstances, int storedInstances, int alreadyPresentInstances,
                                String uncertaintySeriesInstanceUid, String degradation) {
    }
}
