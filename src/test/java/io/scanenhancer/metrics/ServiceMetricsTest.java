package io.scanenhancer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scanenhancer.job.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The counters exist at zero from start-up, for every outcome and error code they can carry. */
class ServiceMetricsTest {
    @Test
    void requestDeadLetterAndFallbackCountersStartAtZero() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ServiceMetrics metrics = new ServiceMetrics();
        metrics.registry = registry;
        metrics.register();

        assertEquals(0.0, counter(registry, ServiceMetrics.REQUESTS, "outcome", "succeeded", "error_code", "none"));
        assertEquals(0.0, registry.get(ServiceMetrics.FALLBACK_FRAMES).counter().count());
        assertEquals(0.0, registry.get(ServiceMetrics.MODEL_FALLBACK).gauge().value());
        for (ErrorCode code : ErrorCode.values()) {
            if (code == ErrorCode.KAFKA_UNAVAILABLE) {
                assertNull(registry.find(ServiceMetrics.DEAD_LETTERS).tag("error_code", code.code()).counter(),
                        "an answer that could not be published is tried again, never dead-lettered");
            } else {
                assertEquals(0.0, counter(registry, ServiceMetrics.REQUESTS, "outcome", "failed", "error_code", code.code()), code.code());
                assertEquals(0.0, counter(registry, ServiceMetrics.DEAD_LETTERS, "error_code", code.code()), code.code());
            }
            if (code.transientFailure()) {
                assertEquals(0.0, counter(registry, ServiceMetrics.REQUESTS, "outcome", "retried", "error_code", code.code()), code.code());
            }
        }

        // the first event counts on the series registered at start-up, not on a second one
        metrics.failed(ErrorCode.STUDY_NOT_FOUND.code());
        assertEquals(1.0, counter(registry, ServiceMetrics.DEAD_LETTERS, "error_code", "study-not-found"));
        assertEquals(1.0, counter(registry, ServiceMetrics.REQUESTS, "outcome", "failed", "error_code", "study-not-found"));
    }

    private static double counter(SimpleMeterRegistry registry, String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        assertNotNull(c, name + " " + String.join(",", tags) + " missing");
        return c.count();
    }
}
