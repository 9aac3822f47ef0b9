package io.scanenhancer.health;

import io.scanenhancer.service.EnhancerService;

import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when every configured PACS answers (QIDO-RS for DICOMweb, C-ECHO for DIMSE). */
@Readiness
@ApplicationScoped
public class PacsReadiness implements HealthCheck {
    @Inject
    EnhancerService service;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("pacs").up();
        for (Pacs pacs : service.plainRegistry().all().values()) {
            try {
                pacs.ping();
                b.withData(pacs.name(), "up");
            } catch (PacsException e) {
                b.down().withData(pacs.name(), String.valueOf(e.getMessage()));
            }
        }
        return b.build();
    }
}
