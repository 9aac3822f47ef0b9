package io.scanenhancer.receiver;

import io.scanenhancer.harness.LocalOrthanc;
import io.scanenhancer.it.SeriesFixture;
import io.scanenhancer.pacs.DicomWebPacs;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsRetryPolicy;
import io.scanenhancer.pacs.PacsSettings;
import io.scanenhancer.pacs.RetryingPacs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * forward-to against a real Orthanc: a received instance is stored there before it is acknowledged, and the study's
 * request then names that PACS as its source; when the store fails the instance is refused (the sender keeps it and
 * retries) and nothing is recorded, so no request can name images the PACS does not hold.
 */
@io.scanenhancer.StartsServices
class ForwardToTest {
    @TempDir
    Path temp;
    private LocalOrthanc orthanc;
    private final ExecutorService calls = RetryingPacs.callThreads();

    @BeforeEach
    void start() throws Exception {
        orthanc = LocalOrthanc.start(List.of());
    }

    @AfterEach
    void stop() {
        orthanc.close();
        calls.shutdownNow();
    }

    /**
     * As the service builds it (the registry's PACS are RetryingPacs): a store is tried twice, because Orthanc may close
     * a pooled keep-alive connection just as the next STOW-RS goes out on it ("header parser received no bytes").
     */
    private Pacs pacs(String url) {
        return new RetryingPacs(new DicomWebPacs(new PacsSettings.DicomWeb("archive", URI.create(url), orthanc.user(),
                orthanc.password(), null, Duration.ofSeconds(5))), PacsRetryPolicy.defaults(), calls);
    }

    @Test
    void receivedInstancesAreStoredInTheForwardPacsBeforeTheyCount() throws Exception {
        SeriesFixture series = SeriesFixture.write(temp.resolve("src"), 3);
        List<String> published = new ArrayList<>();
        StudyStabilityTracker tracker = new StudyStabilityTracker(new PendingStudyStore(temp.resolve("state")),
                (id, study, uids) -> published.add(study.sourcePacs()), Clock.systemUTC(), Duration.ofSeconds(60), Duration.ofMinutes(5));
        InstanceIntake intake = new InstanceIntake(tracker, pacs(orthanc.dicomWebUrl()));
        for (Path f : series.files()) {
            intake.accept(f, "modality");
        }
        String instances = orthanc.get("/instances").body();
        for (Path f : series.files()) {
            String sop = InstanceIntake.uids(Files.newInputStream(f)).sop();
            assertTrue(lookup(sop), "instance " + sop + " stored in the forward-to PACS; Orthanc holds " + instances);
        }
        assertEquals(1, tracker.studies().size());
        assertEquals("archive", tracker.studies().get(0).sourcePacs(), "the request will name the PACS that holds the images");

        InstanceIntake broken = new InstanceIntake(tracker, pacs("http://127.0.0.1:1/dicom-web"));
        SeriesFixture other = SeriesFixture.write(temp.resolve("other"), 1);
        assertThrows(InstanceIntake.RefusedInstanceException.class, () -> broken.accept(other.files().get(0), "modality"));
        assertEquals(1, tracker.studies().size(), "a refused instance is not recorded");
    }

    /** Orthanc's own index: POST /tools/lookup with the SOP Instance UID finds the instance. */
    private boolean lookup(String sop) throws Exception {
        java.net.http.HttpRequest r = java.net.http.HttpRequest.newBuilder(URI.create(orthanc.httpUrl() + "/tools/lookup"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (orthanc.user() + ":" + orthanc.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(sop)).build();
        String body = java.net.http.HttpClient.newHttpClient().send(r, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return body.contains("\"Instance\"");
    }
}
