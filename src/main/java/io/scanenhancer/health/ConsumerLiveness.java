package io.scanenhancer.health;

import io.scanenhancer.service.EnhancerService;

import io.scanenhancer.messaging.StudyRequestConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the request consumer thread runs; a dead consumer needs a restart. */
@Liveness
@ApplicationScoped
public class ConsumerLiveness implements HealthCheck {
    @Inject
    EnhancerService service;

    @Override
    public HealthCheckResponse call() {
        StudyRequestConsumer consumer = service.consumer();
        if (consumer == null) {
            return HealthCheckResponse.named("request-consumer").up().withData("enabled", false).build();
        }
        return HealthCheckResponse.named("request-consumer").status(consumer.alive())
                .withData("lastPoll", consumer.lastPoll().toString())
                .withData("succeeded", consumer.counts().succeeded())
                .withData("deadLettered", consumer.counts().deadLettered()).build();
    }
}
