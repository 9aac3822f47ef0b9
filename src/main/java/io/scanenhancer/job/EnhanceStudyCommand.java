package io.scanenhancer.job;

import io.scanenhancer.enhance.EnhanceSettings;

import java.util.List;

/**
 * What to do for one request, already validated by the ingest layer.
 *
 * @param seriesInstanceUids the series to enhance; empty = every series of the study
 */
public record EnhanceStudyCommand(String requestId, String studyInstanceUid, List<String> seriesInstanceUids,
                                  String sourcePacs, String targetPacs, int scale, EnhanceSettings settings) {
    public EnhanceStudyCommand {
        seriesInstanceUids = seriesInstanceUids == null ? List.of() : List.copyOf(seriesInstanceUids);
        settings = settings == null ? EnhanceSettings.defaults() : settings;
    }
}
