package io.scanenhancer.it;

import org.testcontainers.DockerClientFactory;

/**
 * Whether the Testcontainers path can run. Where a Docker engine answers, tests may start Kafka and Orthanc as
 * containers instead; here (no engine) they say so once and use the local processes of {@link SharedStack}.
 */
public final class TestcontainersSupport {
    private static Boolean available;

    private TestcontainersSupport() {
    }

    public static synchronized boolean dockerAvailable() {
        if (available == null) {
            boolean ok;
            try {
                ok = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                ok = false;
            }
            available = ok;
        }
        return available;
    }

    public static String skipReason() {
        return "Testcontainers path skipped: no Docker engine answers on this machine; the tests use a local Kafka "
                + "broker (KRaft, in-process) and a local Orthanc process instead";
    }
}
