package io.scanenhancer.harness;

import io.scanenhancer.messaging.KafkaSettings;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pacs.PacsRegistry;
import io.scanenhancer.pacs.PacsSettings;
import io.scanenhancer.pipeline.PipelineSettings;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Broker + Orthanc for the demo and the integration tests: one Orthanc reachable under three PACS names, over
 * DICOMweb, over DIMSE with C-GET and over DIMSE with C-MOVE. {@link #settings} gives the pipeline's production
 * settings pointed at them, so what runs here is what {@code serve} runs (io.scanenhancer.pipeline.Pipeline).
 */
public final class LocalStack implements AutoCloseable {
    public static final String DICOMWEB = "orthanc";
    public static final String DIMSE_GET = "orthanc-dimse";
    public static final String DIMSE_MOVE = "orthanc-dimse-move";
    public static final String SERVICE_AE = "SCANENHANCER";

    private final LocalKafkaBroker broker;
    private final LocalOrthanc orthanc;
    private final List<PacsSettings> pacs;
    private final PacsRegistry registry;
    private final int moveListenPort;

    private LocalStack(LocalKafkaBroker broker, LocalOrthanc orthanc, List<PacsSettings> pacs, int moveListenPort) {
        this.broker = broker;
        this.orthanc = orthanc;
        this.pacs = pacs;
        this.registry = PacsRegistry.of(pacs);
        this.moveListenPort = moveListenPort;
    }

    /** PixelMed logs every PDU at INFO; its real failures reach us as exceptions anyway. Held: JUL keeps loggers weakly. */
    private static final java.util.logging.Logger PIXELMED = java.util.logging.Logger.getLogger("com.pixelmed");

    public static LocalStack start() throws IOException {
        PIXELMED.setLevel(java.util.logging.Level.SEVERE);
        int moveListenPort = FreePorts.next();
        LocalOrthanc orthanc = LocalOrthanc.start(List.of(new LocalOrthanc.Peer("scanenhancer", SERVICE_AE, "127.0.0.1",
                moveListenPort)));
        LocalKafkaBroker broker;
        try {
            broker = LocalKafkaBroker.start();
        } catch (IOException | RuntimeException e) {
            orthanc.close();
            throw e;
        }
        Duration timeout = Duration.ofSeconds(120);
        List<PacsSettings> pacs = List.of(
                new PacsSettings.DicomWeb(DICOMWEB, URI.create(orthanc.dicomWebUrl()), orthanc.user(),
                        orthanc.password(), null, timeout),
                new PacsSettings.Dimse(DIMSE_GET, "127.0.0.1", orthanc.dicomPort(), LocalOrthanc.AE_TITLE, SERVICE_AE,
                        PacsSettings.Retrieve.C_GET, 0, timeout),
                new PacsSettings.Dimse(DIMSE_MOVE, "127.0.0.1", orthanc.dicomPort(), LocalOrthanc.AE_TITLE, SERVICE_AE,
                        PacsSettings.Retrieve.C_MOVE, moveListenPort, timeout));
        return new LocalStack(broker, orthanc, pacs, moveListenPort);
    }

    public LocalKafkaBroker broker() {
        return broker;
    }

    public LocalOrthanc orthanc() {
        return orthanc;
    }

    /** The three PACS names, as settings (a test adds its own to these). */
    public List<PacsSettings> pacsSettings() {
        return pacs;
    }

    /** Plain clients of the three PACS names, for a test or the demo to look at what the pipeline stored. */
    public PacsRegistry registry() {
        return registry;
    }

    public int moveListenPort() {
        return moveListenPort;
    }

    /** The production settings ({@link PipelineSettings#defaults}) with this broker, these PACS and this group. */
    public PipelineSettings settings(String groupId) {
        return PipelineSettings.defaults(KafkaSettings.plaintext(broker.bootstrapServers())).withGroup(groupId)
                .withPacs(pacs);
    }

    /** As {@link #settings(String)}, on topics of its own, which are created here. */
    public PipelineSettings settings(String groupId, Topics topics) {
        broker.createTopics(topics.requests(), topics.results(), topics.deadLetters(), topics.progress());
        return settings(groupId).withTopics(topics);
    }
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Idempotent: the demo calls it both on the way out and from its Ctrl-C hook. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            broker.close();
        } finally {
            orthanc.close();
        }
    }
}
