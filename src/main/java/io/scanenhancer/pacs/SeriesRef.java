package io.scanenhancer.pacs;

/** A series as the PACS lists it; modality and instance count are null/-1 when the PACS did not say. */
public record SeriesRef(String seriesInstanceUid, String modality, int instanceCount) {
}
