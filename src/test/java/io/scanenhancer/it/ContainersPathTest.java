package io.scanenhancer.it;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Docker path: Orthanc with DICOMweb as a container, reached the way the service reaches it. Skipped with a
 * printed reason where no Docker engine runs (as on the development machine, where it has never run).
 */
@io.scanenhancer.StartsServices
class ContainersPathTest {
    @Test
    void orthancContainerAnswersQido() throws Exception {
        if (!TestcontainersSupport.dockerAvailable()) {
            System.out.println(TestcontainersSupport.skipReason());
        }
        assumeTrue(TestcontainersSupport.dockerAvailable(), TestcontainersSupport::skipReason);
        try (GenericContainer<?> orthanc = new GenericContainer<>("orthancteam/orthanc:24.12.1")
                .withEnv("ORTHANC__AUTHENTICATION_ENABLED", "false")
                .withEnv("ORTHANC__DICOM_WEB__ENABLE", "true")
                .withExposedPorts(8042)
                .waitingFor(Wait.forHttp("/system"))) {
            orthanc.start();
            String url = "http://" + orthanc.getHost() + ":" + orthanc.getMappedPort(8042) + "/dicom-web/studies";
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .header("Accept", "application/dicom+json").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
        }
    }
}
