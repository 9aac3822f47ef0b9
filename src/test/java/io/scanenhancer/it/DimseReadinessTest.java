package io.scanenhancer.it;

import com.pixelmed.network.VerificationSOPClassSCU;
import io.scanenhancer.harness.LocalOrthanc;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.health.PacsReadiness;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsSettings;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readiness of a DIMSE PACS against the real Orthanc: C-ECHO is answered for any calling AE title, so the check is a
 * study-level C-FIND, which Orthanc refuses to an AE title it does not know; the health data says why.
 */
class DimseReadinessTest {

    private static Pacs dimse(LocalStack stack, String name, String callingAe) {
        return new PacsSettings.Dimse(name, "127.0.0.1", stack.orthanc().dicomPort(), LocalOrthanc.AE_TITLE, callingAe,
                PacsSettings.Retrieve.C_GET, 0, Duration.ofSeconds(30)).open();
    }

    @Test
    void anUnregisteredCallingAeTitleIsNotReadyAndTheHealthDataSaysWhy() throws Exception {
        LocalStack stack = SharedStack.get();
        // what the old check did: Orthanc answers C-ECHO from anyone, so it could not tell
        new VerificationSOPClassSCU("127.0.0.1", stack.orthanc().dicomPort(), LocalOrthanc.AE_TITLE, "INTRUDER", false);

        Pacs registered = dimse(stack, "orthanc-dimse", LocalStack.SERVICE_AE);
        Pacs intruder = dimse(stack, "intruder", "INTRUDER");
        HealthCheckResponse ok = PacsReadiness.check(List.of(registered));
        assertEquals(HealthCheckResponse.Status.UP, ok.getStatus(), String.valueOf(ok.getData()));
        assertEquals("up", ok.getData().orElseThrow().get("orthanc-dimse"));

        HealthCheckResponse both = PacsReadiness.check(List.of(registered, intruder));
        assertEquals(HealthCheckResponse.Status.DOWN, both.getStatus());
        String reason = String.valueOf(both.getData().orElseThrow().get("intruder"));
        System.out.println("readiness data for the unregistered AE: " + reason);
        assertTrue(reason.startsWith("intruder: C-FIND failed"), reason);
        assertTrue(reason.contains("calling AE title 'INTRUDER'"), reason);
        assertEquals("up", both.getData().orElseThrow().get("orthanc-dimse"));
    }
}
