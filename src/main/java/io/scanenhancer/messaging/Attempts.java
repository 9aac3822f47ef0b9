package io.scanenhancer.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed attempts per request record (topic-partition@offset) and the back-off before the next one: the consumer's
 * layer of retries (README "Retries and their worst cases"). The worker thread counts, the polling thread reads.
 */
final class Attempts {
    private final ConsumerSettings settings;
    private final Map<String, Integer> failed = new ConcurrentHashMap<>();

    Attempts(ConsumerSettings settings) {
        this.settings = settings;
    }

    /** Counts one more failed attempt at the record; returns how many there have been. */
    int failed(ConsumerRecord<?, ?> record) {
        return failed.merge(where(record), 1, Integer::sum);
    }

    /** Failed attempts at the record so far (0 before its first). */
    int failedSoFar(ConsumerRecord<?, ?> record) {
        return failed.getOrDefault(where(record), 0);
    }

    boolean exhausted(int failedAttempts) {
        return failedAttempts >= settings.maxAttempts();
    }

    int max() {
        return settings.maxAttempts();
    }

    /** The record is answered (or given up on): its count goes. */
    void forget(ConsumerRecord<?, ?> record) {
        failed.remove(where(record));
    }

    /** The pause before the record is tried again. */
    Duration backoff(ConsumerRecord<?, ?> record) {
        Integer n = failed.get(where(record));
        return backoff(n == null ? 1 : n, settings.retryBackoff(), settings.maxRetryBackoff());
    }

    /** The pause before an answer that could not be published is tried again. */
    Duration publishBackoff() {
        return settings.retryBackoff();
    }

    /**
     * Exponential back-off for a PACS that keeps failing: base after the first failed attempt, then 2x, 4x, ... up
     * to max. Anything else tried again (the broker away while the result is published) counts as a first failure.
     */
    static Duration backoff(int failedAttempts, Duration base, Duration max) {
        Duration d = base.multipliedBy(1L << Math.min(Math.max(failedAttempts, 1) - 1, 20));
        return d.compareTo(max) > 0 ? max : d;
    }

    static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
