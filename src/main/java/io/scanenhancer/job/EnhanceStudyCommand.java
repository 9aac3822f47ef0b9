package io.scanenhancer.job;

import io.scanenhancer.enhance.EnhanceSettings;

import java.util.List;

/**
 * What to do for one request, already validated by the ingest layer.
 *
 * @param seriesInstanceUids the series to enhance; empty = every series of the study
 * @param batchSize          slices per enhancer call; null = the job's configured default
 */
public record EnhanceStudyCommand(String requestId, String studyInstanceUid, List<String> seriesInstanceUids,
                                  String sourcePacs, String targetPacs, int scale, EnhanceSettings settings,
                                  Integer batchSize) {
    public EnhanceStudyCommand {
        seriesInstanceUids = seriesInstanceUids == null ? List.of() : List.copyOf(seriesInstanceUids);
        settings = settings == null ? EnhanceSettings.defaults() : settings;
        if (batchSize != null && batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
    }

    public EnhanceStudyCommand(String requestId, String studyInstanceUid, List<String> seriesInstanceUids,
                               String sourcePacs, String targetPacs, int scale, EnhanceSettings settings) {
        this(requestId, studyInstanceUid, seriesInstanceUids, sourcePacs, targetPacs, scale, settings, null);
    }
}
