package io.scanenhancer.job;

/**
 * Wall-clock milliseconds per stage of one job. retrieve = find + fetch from the source PACS; enhance = decode, the
 * enhancer, encode of the derived objects; store = sending them to the target PACS; total = the whole job.
 */
public record StageTimings(long retrieveMs, long enhanceMs, long storeMs, long totalMs) {
}
