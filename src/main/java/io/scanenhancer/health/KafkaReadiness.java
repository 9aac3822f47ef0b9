package io.scanenhancer.health;

import io.scanenhancer.service.EnhancerService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Ready only when the Kafka cluster answers. */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
    @Inject
    EnhancerService service;

    @Override
    public HealthCheckResponse call() {
        Map<String, Object> p = new java.util.HashMap<>(service.kafkaSecurity());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, service.bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(p)) {
            int nodes = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
            return HealthCheckResponse.named("kafka").up().withData("nodes", nodes).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("kafka").down().withData("error", e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }
}
