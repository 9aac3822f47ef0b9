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
 */
public record ConsumerSettings(int maxAttempts, Duration retryBackoff, Duration maxRetryBackoff,
                               Duration maxPollInterval, Duration sessionTimeout, Duration shutdownGrace) {
    public ConsumerSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
        }
    }

    /** The shipped values (application.properties). */
    public static ConsumerSettings defaults() {
        return new ConsumerSettings(5, Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofMinutes(5),
                Duration.ofSeconds(45), Duration.ofSeconds(30));
    }

    /** These attempts, the first pause {@code backoff}, the longest 16 x that. */
    public ConsumerSettings withAttempts(int attempts, Duration backoff) {
        return new ConsumerSettings(attempts, backoff, backoff.multipliedBy(16), maxPollInterval, sessionTimeout,
                shutdownGrace);
    }

    public ConsumerSettings withMaxPollInterval(Duration interval) {
        return new ConsumerSettings(maxAttempts, retryBackoff, maxRetryBackoff, interval, sessionTimeout, shutdownGrace);
    }

    public ConsumerSettings withSessionTimeout(Duration timeout) {
        return new ConsumerSettings(maxAttempts, retryBackoff, maxRetryBackoff, maxPollInterval, timeout, shutdownGrace);
    }

    public ConsumerSettings withShutdownGrace(Duration grace) {
        return new ConsumerSettings(maxAttempts, retryBackoff, maxRetryBackoff, maxPollInterval, sessionTimeout, grace);
    }
}
