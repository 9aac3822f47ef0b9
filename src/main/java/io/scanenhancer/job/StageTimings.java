package io.scanenhancer.job;

/**
 * Wall-clock milliseconds per stage of one job. retrieve = find + fetch from the source PACS; enhance = decode, the
 * enhancer, encode of the derived objects; store = sending them to the target PACS; total = the whole job;
 * model = the part of enhance spent inside the enhancer itself (so total / model is the pipeline's overhead).
 */
public record StageTimings(long retrieveMs, long enhanceMs, long storeMs, long totalMs, long modelMs) {
    public StageTimings(long retrieveMs, long enhanceMs, long storeMs, long totalMs) {
        this(retrieveMs, enhanceMs, storeMs, totalMs, 0);
    }
}
