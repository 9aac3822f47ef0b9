package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.LocalKafkaBroker;
import io.scanenhancer.harness.LocalOrthanc;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pipeline.Pipeline;
import io.scanenhancer.pipeline.PipelineSettings;
import io.scanenhancer.pacs.InstanceRef;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsException;
import io.scanenhancer.pacs.PacsSettings;
import io.scanenhancer.pacs.SeriesRef;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The target PACS (a real Orthanc process of its own) is killed with SIGKILL in the middle of a two-series study:
 * right after the first derived series was stored, before the second. Killing at that point, rather than at a random
 * time, makes the interesting case certain: the PACS holds half of the study's output when it comes back.
 */
@io.scanenhancer.StartsServices
class PacsOutageTest {
    private static final int SLICES = 3;

    @TempDir
    Path temp;
    private LocalOrthanc orthanc;
    private SeriesFixture first;
    private SeriesFixture second;
    private final String group = "outage-" + UUID.randomUUID();

    @BeforeEach
    void start() throws Exception {
        orthanc = LocalOrthanc.start();
        first = SeriesFixture.write(temp.resolve("a"), SLICES);
        second = SeriesFixture.write(temp.resolve("b"), SLICES, first.studyInstanceUid());
        E2e.uploadViaRest(orthanc, first.files());
        E2e.uploadViaRest(orthanc, second.files());
    }

    @AfterEach
    void stop() {
        orthanc.close();
    }

    @Test
    void outageOfThePacsMidStudyRecoversAfterRestartWithOneSeriesPerSource() throws Exception {
        Topics topics = new Topics("outage.requested", "outage.enhanced", "outage.dlq");
        AtomicLong restartedAt = new AtomicLong();
        Runnable restartIn10s = () -> new Thread(() -> {
            try {
                Thread.sleep(10_000);
                orthanc.restart();
                restartedAt.set(System.nanoTime());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "restart-orthanc").start();
        String requestId = UUID.randomUUID().toString();
        long published;
        try (Pipeline pipeline = pipeline(topics, restartIn10s, 30, Duration.ofSeconds(2))) {
            LocalKafkaBroker broker = SharedStack.get().broker();
            published = System.nanoTime();
            E2e.publish(broker.bootstrapServers(), topics.requests(), first.studyInstanceUid(),
                    E2e.request(requestId, first.studyInstanceUid(), "pacs", "pacs"));
            JsonNode result = E2e.awaitResult(broker.bootstrapServers(), topics.results(), requestId);
            long done = System.nanoTime();
            assertEquals("succeeded", result.path("status").asText(), result.toString());
            assertEquals(Set.of(), E2e.resultSchema().validate(result));
            assertTrue(restartedAt.get() > 0, "the result came after the restart");

            // the retry found the first derived series complete and sent only the second
            Map<String, JsonNode> bySource = bySource(result);
            JsonNode a = bySource.get(storedFirst(result));
            JsonNode b = bySource.values().stream().filter(s -> s != a).findFirst().orElseThrow();
            assertEquals(0, a.path("storedInstances").asInt(), result.toString());
            assertEquals(SLICES, a.path("alreadyPresentInstances").asInt(), result.toString());
            assertEquals(SLICES, b.path("storedInstances").asInt(), result.toString());
            assertEquals(0, b.path("alreadyPresentInstances").asInt(), result.toString());
            assertOneCompleteDerivedSeriesPerSource(result);

            List<ConsumerRecord<String, byte[]>> results = TopicReader.readAll(broker.bootstrapServers(), topics.results());
            assertEquals(1, count(results, requestId), "exactly one result event");
            assertEquals(0, TopicReader.readAll(broker.bootstrapServers(), topics.deadLetters()).size(), "no dead letter");
            System.out.printf("pacs outage: killed after the first series, restarted after 10 s; result %d ms after "
                            + "the restart, %d ms after the request; stored %d + %d, already present %d%n",
                    (done - restartedAt.get()) / 1_000_000, (done - published) / 1_000_000,
                    a.path("storedInstances").asInt(), b.path("storedInstances").asInt(),
                    a.path("alreadyPresentInstances").asInt());
        }
    }

    @Test
    void outageLongerThanTheRetryBudgetIsDeadLetteredAndLeavesTheFirstSeriesComplete() throws Exception {
        Topics topics = new Topics("outage-dlq.requested", "outage-dlq.enhanced", "outage-dlq.dlq");
        String requestId = UUID.randomUUID().toString();
        LocalKafkaBroker broker = SharedStack.get().broker();
        long published = System.nanoTime();
        try (Pipeline pipeline = pipeline(topics, () -> { }, 3, Duration.ofMillis(500))) {
            E2e.publish(broker.bootstrapServers(), topics.requests(), first.studyInstanceUid(),
                    E2e.request(requestId, first.studyInstanceUid(), "pacs", "pacs"));
            ConsumerRecord<String, byte[]> letter = TopicReader.await(broker.bootstrapServers(), topics.deadLetters(),
                    r -> requestId.equals(header(r, "x-request-id")), E2e.RESULT_TIMEOUT).orElseThrow();
            assertEquals("pacs-unavailable", header(letter, "x-error-code"));
            assertTrue(header(letter, "x-reason").startsWith("gave up after 3 attempts: pacs: "), header(letter, "x-reason"));
            JsonNode failed = E2e.awaitResult(broker.bootstrapServers(), topics.results(), requestId);
            assertEquals("failed", failed.path("status").asText());
            assertEquals("pacs-unavailable", failed.path("errorCode").asText());
            System.out.printf("pacs outage beyond the budget: dead letter %d ms after the request (%s)%n",
                    (System.nanoTime() - published) / 1_000_000, header(letter, "x-reason"));
        }

        // what the PACS holds once it is back: both sources, the first derived series complete, nothing of the second
        orthanc.restart();
        JsonNode series = E2e.qidoSeries(orthanc, first.studyInstanceUid());
        assertEquals(3, series.size(), "two source series and one derived: " + series);
        for (JsonNode s : series) {
            String uid = s.path("0020000E").path("Value").get(0).asText();
            assertEquals(SLICES, E2e.qidoInstances(orthanc, first.studyInstanceUid(), uid).size(), "series " + uid + " complete");
        }

        // the same request sent again (same group, so past the dead letter; no kill this time) completes the study
        // and sends only what is missing
        try (Pipeline pipeline = pipeline(topics, null, 3, Duration.ofMillis(500))) {
            String again = UUID.randomUUID().toString();
            E2e.publish(broker.bootstrapServers(), topics.requests(), first.studyInstanceUid(),
                    E2e.request(again, first.studyInstanceUid(), "pacs", "pacs"));
            JsonNode result = E2e.awaitResult(broker.bootstrapServers(), topics.results(), again);
            assertEquals("succeeded", result.path("status").asText(), result.toString());
            int stored = 0;
            int present = 0;
            for (JsonNode s : result.path("series")) {
                stored += s.path("storedInstances").asInt();
                present += s.path("alreadyPresentInstances").asInt();
            }
            assertEquals(SLICES, stored, result.toString());
            assertEquals(SLICES, present, result.toString());
            assertOneCompleteDerivedSeriesPerSource(result);
            System.out.printf("pacs outage beyond the budget: request sent again stored %d, already present %d%n",
                    stored, present);
        }
    }

    private void assertOneCompleteDerivedSeriesPerSource(JsonNode result) throws Exception {
        JsonNode series = E2e.qidoSeries(orthanc, first.studyInstanceUid());
        assertEquals(4, series.size(), "two source series and exactly one derived series each: " + series);
        for (JsonNode s : result.path("series")) {
            assertEquals(SLICES, E2e.qidoInstances(orthanc, first.studyInstanceUid(),
                    s.path("derivedSeriesInstanceUid").asText()).size(), "derived series complete");
        }
    }

    private volatile String firstStoredSeries;

    /** The source series whose derived series went in before the kill. */
    private String storedFirst(JsonNode result) {
        for (JsonNode s : result.path("series")) {
            if (s.path("derivedSeriesInstanceUid").asText().equals(firstStoredSeries)) {
                return s.path("sourceSeriesInstanceUid").asText();
            }
        }
        throw new AssertionError("first stored series " + firstStoredSeries + " not in " + result);
    }

    private static Map<String, JsonNode> bySource(JsonNode result) {
        Map<String, JsonNode> m = new HashMap<>();
        result.path("series").forEach(s -> m.put(s.path("sourceSeriesInstanceUid").asText(), s));
        assertEquals(2, m.size(), result.toString());
        return m;
    }

    /** The production pipeline on this test's own Orthanc, the kill timed by wrapping its client (inside the retries). */
    private Pipeline pipeline(Topics topics, Runnable afterKill, int maxAttempts, Duration backoff) throws Exception {
        PacsSettings pacs = new PacsSettings.DicomWeb("pacs", URI.create(orthanc.dicomWebUrl()), orthanc.user(),
                orthanc.password(), null, Duration.ofSeconds(10));
        // stores go out in chunks of the batch size: a batch of one series' slices makes the first store exactly the
        // first derived series, so the kill leaves the PACS holding half of the study's output
        PipelineSettings settings = SharedStack.get().settings(group, topics).withPacs(List.of(pacs))
                .withEnhancer(Enhancers.BICUBIC).withBatchSize(SLICES).withAttempts(maxAttempts, backoff);
        return Pipeline.builder(settings).aroundPacs(p -> afterKill == null ? p : new KillAfterFirstStore(p, () -> {
            try {
                orthanc.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            afterKill.run();
        })).start();
    }

    /**
     * The real Orthanc client; the first store that succeeds is followed by the kill. Only the timing of the fault is
     * arranged here: every call still goes to the real process.
     */
    private final class KillAfterFirstStore implements Pacs {
        private final Pacs delegate;
        private final Runnable kill;
        private boolean killed;

        KillAfterFirstStore(Pacs delegate, Runnable kill) {
            this.delegate = delegate;
            this.kill = kill;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public List<SeriesRef> findSeries(String study) throws PacsException {
            return delegate.findSeries(study);
        }

        @Override
        public List<InstanceRef> findInstances(String study, String series) throws PacsException {
            return delegate.findInstances(study, series);
        }

        @Override
        public Set<String> storedInstanceUids(String study, String series) throws PacsException {
            return delegate.storedInstanceUids(study, series);
        }

        @Override
        public List<java.nio.file.Path> retrieveTo(String study, String series, java.nio.file.Path folder) throws PacsException {
            return delegate.retrieveTo(study, series, folder);
        }

        @Override
        public void store(List<byte[]> objects) throws PacsException {
            delegate.store(objects);
            if (!killed && !objects.isEmpty()) {
                killed = true;
                firstStoredSeries = seriesOf(objects.get(0));
                kill.run();
            }
        }

        @Override
        public void ping() throws PacsException {
            delegate.ping();
        }
    }

    private static String seriesOf(byte[] part10) {
        try {
            com.pixelmed.dicom.AttributeList l = new com.pixelmed.dicom.AttributeList();
            l.read(new com.pixelmed.dicom.DicomInputStream(new java.io.ByteArrayInputStream(part10)));
            return com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(l,
                    com.pixelmed.dicom.TagFromName.SeriesInstanceUID);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(List<ConsumerRecord<String, byte[]>> records, String requestId) {
        return records.stream().filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(requestId)).count();
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
