package io.scanenhancer.messaging;

import java.time.Duration;

/**
 * How the request consumer retries and how long it may wait (README "Configuration", {@code enhancer.consumer.*}).
 *
 * @param maxAttempts     attempts for a request that fails for a transient reason (PACS down) before it is
 *                        dead-lettered
 * @param retryBackoff    pause before such a request is tried the second time; doubled for each further attempt
 * @param maxRetryBackoff the longest such pause
 * @param maxPollInterval Kafka max.poll.interval.ms: how long the polling thread may stall before the group drops
 *                        this consumer. Studies run on a worker thread while polling goes on, so a study may take
 *                        longer than this.
 * @param sessionTimeout  Kafka session.timeout.ms: how long the group waits for a consumer that stopped answering (a
 *                        killed process) before its partitions go to another
 * @param shutdownGrace   how long closing lets the study in progress finish before it is abandoned uncommitted
 * @param maxCrashAttempts attempts at a request during which the process died (out of memory, native crash, SIGKILL),
 *                        counted across restarts, before it is dead-lettered as crashed-the-worker ({@link CrashMarkers})
 */
public record ConsumerSettings(int maxAttempts, Duration retryBackoff, Duration maxRetryBackoff,
                               Duration maxPollInterval, Duration sessionTimeout, Duration shutdownGrace,
                               int maxCrashAttempts) {
    /** The shipped crash budget: two deaths not caused by the request (a lost node, a hand-over) still leave it a try. */
    public static final int MAX_CRASH_ATTEMPTS = 3;

    public ConsumerSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
        }
        if (maxCrashAttempts < 1) {
            throw new IllegalArgumentException("max crash attempts must be at least 1, was " + maxCrashAttempts);
        }
    }

    public ConsumerSettings(int maxAttempts, Duration retryBackoff, Duration maxRetryBackoff, Duration maxPollInterval,
                            Duration sessionTimeout, Duration shutdownGrace) {
        this(maxAttempts, retryBackoff, maxRetryBackoff, maxPollInterval, sessionTimeout, shutdownGrace, MAX_CRASH_ATTEMPTS);
    }

    /** The shipped values (application.properties). */
    public static ConsumerSettings defaults() {
        return new ConsumerSettings(5, Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofMinutes(5),
                Duration.ofSeconds(45), Duration.ofSeconds(30));
    }

    /** These attempts, the first pause {@code backoff}, the longest 16 x that. */
    public ConsumerSettings withAttempts(int attempts, Duration backoff) {
        return new ConsumerSettings(attempts, backoff, backoff.multipliedBy(16), maxPollInterval, sessionTimeout,
                shutdownGrace, maxCrashAttempts);
    }

    public ConsumerSettings withMaxPollInterval(Duration interval) {
        return new ConsumerSettings(maxAttempts, retryBackoff, maxRetryBackoff, interval, sessionTimeout, shutdownGrace,
                maxCrashAttempts);
    }

    public ConsumerSettings withSessionTimeout(Duration timeout) {
        return new ConsumerSettings(maxAttempts, retryBackoff, maxRetryBackoff, maxPollInterval, timeout, shutdownGrace,
                maxCrashAttempts);
    }

    public ConsumerSettings withShutdownGrace(Duration grace) {
        return new ConsumerSettings(maxAttempts, retryBackoff, maxRetryBackoff, maxPollInterval, sessionTimeout, grace,
                maxCrashAttempts);
    }

    public ConsumerSettings withMaxCrashAttempts(int attempts) {
        return new ConsumerSettings(maxAttempts, retryBackoff, maxRetryBackoff, maxPollInterval, sessionTimeout,
                shutdownGrace, attempts);
    }
}
