package io.scanenhancer.receiver;

/**
 * What routing rules look at in one series, read from its instances' headers: no patient data. {@code instances}
 * counts the distinct instances received; the other values are those of the series' first instance.
 *
 * @param original whether Image Type's first value is ORIGINAL (false for DERIVED, and for objects without Image Type)
 */
public record SeriesFacts(String modality, String seriesDescription, String bodyPart, int rows, int columns,
                          boolean original, int instances) {

    SeriesFacts plusOne() {
        return new SeriesFacts(modality, seriesDescription, bodyPart, rows, columns, original, instances + 1);
    }
}
