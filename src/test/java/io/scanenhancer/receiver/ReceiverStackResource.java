package io.scanenhancer.receiver;

import io.scanenhancer.harness.FreePorts;
import io.scanenhancer.service.LocalStackResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The real broker and Orthanc of {@link LocalStackResource}, with the receiver on: its Storage SCP on a free loopback
 * port accepting the calling AE {@link #MODALITY} for the PACS {@code orthanc}, STOW-RS for {@code orthanc-dimse}, a short
 * stable age. The service's own consumer is off: these tests look at the requests the receiver publishes.
 */
public class ReceiverStackResource extends LocalStackResource {
    static final String TOKEN = "test-token-rx-5d21";
    static final String AE_TITLE = "ENHANCER-RX";
    static final String MODALITY = "MODALITY1";
    /** dcmtk's storescu calls as this AE, standing for the PACS "dead" (any configured name does for a request). */
    static final String DCMTK = "DCMTK";
    static final String STABLE_AGE = "2s";
    private java.nio.file.Path stateDir;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("enhancer.api.auth.token", TOKEN);
        config.put("enhancer.consumer.enabled", "false");
        config.put("enhancer.receiver.enabled", "true");
        config.put("enhancer.receiver.ae-title", AE_TITLE);
        config.put("enhancer.receiver.port", Integer.toString(FreePorts.next()));
        config.put("enhancer.receiver.bind-host", "127.0.0.1");
        config.put("enhancer.receiver.calling-ae." + MODALITY, "orthanc");
        config.put("enhancer.receiver.calling-ae." + DCMTK, "dead");
        config.put("enhancer.receiver.stow-source-pacs", "orthanc-dimse");
        config.put("enhancer.receiver.stable-age", STABLE_AGE);
        config.put("enhancer.receiver.check-interval", "100ms");
        try {
            stateDir = Files.createTempDirectory("receiver-state");
            config.put("enhancer.receiver.state-dir", stateDir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }

    @Override
    public void stop() {
        super.stop();
        io.scanenhancer.spool.PatientDataSpool.delete(stateDir);
    }
}
