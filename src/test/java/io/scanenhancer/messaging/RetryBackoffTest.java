package io.scanenhancer.messaging;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetryBackoffTest {
    static final Duration BASE = Duration.ofSeconds(5);
    static final Duration MAX = Duration.ofMinutes(2);

    @Test
    void doublesAfterEachFailedAttemptUpToTheCap() {
        assertEquals(Duration.ofSeconds(5), Attempts.backoff(1, BASE, MAX));
        assertEquals(Duration.ofSeconds(10), Attempts.backoff(2, BASE, MAX));
        assertEquals(Duration.ofSeconds(20), Attempts.backoff(3, BASE, MAX));
        assertEquals(Duration.ofSeconds(80), Attempts.backoff(5, BASE, MAX));
        assertEquals(MAX, Attempts.backoff(6, BASE, MAX));
        assertEquals(MAX, Attempts.backoff(1000, BASE, MAX), "no overflow for a very long outage");
    }

    @Test
    void aRetryThatIsNotAPacsFailureWaitsTheBase() {
        assertEquals(BASE, Attempts.backoff(0, BASE, MAX));
    }
}
