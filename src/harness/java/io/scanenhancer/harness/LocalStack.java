package io.scanenhancer.harness;

import io.scanenhancer.job.SynthesizeStudyJob;
import io.scanenhancer.synthesis.StudySynthesizer;
import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.messaging.EventJson;
import io.scanenhancer.messaging.StudyRequestConsumer;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.job.EnhanceStudyJob;
import io.scanenhancer.pacs.PacsRegistry;
import io.scanenhancer.pacs.PacsSettings;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Broker + Orthanc + the service's pipeline components (without Quarkus), wired the way application.properties
 * wires the service: one Orthanc reachable under three PACS names, over DICOMweb, over DIMSE with C-GET and over
 * DIMSE with C-MOVE. Used by the demo and the integration tests.
 */
public final class LocalStack implements AutoCloseable {
    public static final String DICOMWEB = "orthanc";
    public static final String DIMSE_GET = "orthanc-dimse";
    public static final String DIMSE_MOVE = "orthanc-dimse-move";
    public static final String SERVICE_AE = "SCANENHANCER";

    private final LocalKafkaBroker broker;
    private final LocalOrthanc orthanc;
    private final PacsRegistry registry;
    private final int moveListenPort;

    private LocalStack(LocalKafkaBroker broker, LocalOrthanc orthanc, PacsRegistry registry, int moveListenPort) {
        this.broker = broker;
        this.orthanc = orthanc;
        this.registry = registry;
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
        PacsRegistry registry = PacsRegistry.of(List.of(
                new PacsSettings.DicomWeb(DICOMWEB, java.net.URI.create(orthanc.dicomWebUrl()), orthanc.user(),
                        orthanc.password(), null, timeout),
                new PacsSettings.Dimse(DIMSE_GET, "127.0.0.1", orthanc.dicomPort(), LocalOrthanc.AE_TITLE, SERVICE_AE,
                        PacsSettings.Retrieve.C_GET, 0, timeout),
                new PacsSettings.Dimse(DIMSE_MOVE, "127.0.0.1", orthanc.dicomPort(), LocalOrthanc.AE_TITLE, SERVICE_AE,
                        PacsSettings.Retrieve.C_MOVE, moveListenPort, timeout)));
        return new LocalStack(broker, orthanc, registry, moveListenPort);
    }

    public LocalKafkaBroker broker() {
        return broker;
    }

    public LocalOrthanc orthanc() {
        return orthanc;
    }

    public PacsRegistry registry() {
        return registry;
    }

    public int moveListenPort() {
        return moveListenPort;
    }

    /** Starts the same request consumer the service runs, against this broker and these PACS. */
    public StudyRequestConsumer startConsumer(Enhancer enhancer, Topics topics, String groupId) {
        return startConsumer(enhancer, null, topics, groupId);
    }

    /** @param synthesizer serves synthesize requests (closed with the consumer's job); null to refuse them */
    public StudyRequestConsumer startConsumer(Enhancer enhancer, StudySynthesizer synthesizer, Topics topics, String groupId) {
        broker.createTopics(topics.requests(), topics.results(), topics.deadLetters());
        StudyRequestConsumer.Options options = new StudyRequestConsumer.Options(broker.bootstrapServers(), groupId, topics,
                3, Duration.ofSeconds(1), Duration.ofMinutes(5));
        SynthesizeStudyJob synthesis = synthesizer == null ? null : new SynthesizeStudyJob(registry, () -> synthesizer);
        return new StudyRequestConsumer(options, new EnhanceStudyJob(registry, enhancer, null), synthesis, EventJson.mapper()).start();
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
