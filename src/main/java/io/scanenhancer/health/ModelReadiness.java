package io.scanenhancer.health;

import io.scanenhancer.service.EnhancerService;

import io.scanenhancer.job.EnhancerChoice;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once an enhancer is open; reports which model is loaded and whether the service fell back to bicubic, so an
 * operator sees a missing model on the readiness page rather than only in the log.
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {
    @Inject
    EnhancerService service;

    @Override
    public HealthCheckResponse call() {
        EnhancerChoice choice = service.enhancerChoice();
        if (choice == null) {
            return HealthCheckResponse.named("model").down().withData("loaded", false).build();
        }
        HealthCheckResponseBuilder b = HealthCheckResponse.named("model").up().withData("loaded", true)
                .withData("modelId", choice.enhancer().modelId())
                .withData("modelVersion", choice.enhancer().modelVersion())
                .withData("fellBackToBicubic", choice.note() != null);
        return b.build();
    }
}
