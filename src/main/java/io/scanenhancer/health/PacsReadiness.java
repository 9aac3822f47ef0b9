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

/**
 * Ready only when every configured PACS accepts a query from us (QIDO-RS for DICOMweb; for DIMSE a study-level C-FIND
 * matching nothing, which a PACS that does not know our calling AE title refuses). The reason is in the check's data.
 */
@Readiness
@ApplicationScoped
public class PacsReadiness implements HealthCheck {
    @Inject
    EnhancerService service;

    @Override
    public HealthCheckResponse call() {
        return check(service.plainRegistry().all().values());
    }

    /** UP when every PACS answered; per PACS "up" or the reason it did not. */
    public static HealthCheckResponse check(java.util.Collection<Pacs> all) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("pacs").up();
        for (Pacs pacs : all) {
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
