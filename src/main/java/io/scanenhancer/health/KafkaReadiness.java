package io.scanenhancer.health;

import io.scanenhancer.service.EnhancerService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Ready only when the Kafka cluster answers. */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
    @Inject
    EnhancerService service;

    @Override
    public HealthCheckResponse call() {
        try (Admin admin = Admin.create(service.kafkaClients().admin(Duration.ofSeconds(3)))) {
            int nodes = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
            return HealthCheckResponse.named("kafka").up().withData("nodes", nodes).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("kafka").down().withData("error", e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }
}
