package io.scanenhancer.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.enhance.BicubicEnhancer;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.it.SeriesFixture;
import io.scanenhancer.job.StageTimings;
import io.scanenhancer.pacs.InMemoryPacs;
import io.scanenhancer.pacs.PacsRetryPolicy;
import io.scanenhancer.pipeline.Pipeline;
import io.scanenhancer.pipeline.PipelineListener;
import io.scanenhancer.pipeline.PipelineSettings;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The record loop, fast: the pipeline as the service assembles it, with Kafka's MockConsumer and MockProducer in place
 * of the broker and an in-memory PACS in place of Orthanc. The same behaviour against the real broker and Orthanc:
 * LongStudyRebalanceTest, PacsOutageTest, CommitAfterPublishTest, BadRequestsTest.
 */
class StudyRequestConsumerTest {
    private static final Topics TOPICS = new Topics("req", "res", "dlq", "progress");
    private static final TopicPartition TP = new TopicPartition("req", 0);
    /** One try per PACS call: here the consumer's own attempts are under test. */
    private static final PacsRetryPolicy ONE_TRY = new PacsRetryPolicy(new PacsRetryPolicy.Rule(1, Duration.ZERO,
            Duration.ofSeconds(10)), new PacsRetryPolicy.Rule(1, Duration.ZERO, Duration.ofSeconds(10)),
            new PacsRetryPolicy.Rule(1, Duration.ZERO, Duration.ofSeconds(10)),
            new PacsRetryPolicy.Rule(1, Duration.ZERO, Duration.ofSeconds(10)));

    @TempDir
    Path temp;
    private final LogConsumer consumer = new LogConsumer();
    private final List<MockProducer<String, byte[]>> resultProducers = new CopyOnWriteArrayList<>();
    private final Probe probe = new Probe();
    private final Gate gate = new Gate();
    private final InMemoryPacs pacs = new InMemoryPacs("pacs");
    private SeriesFixture series;
    private Pipeline pipeline;

    @BeforeEach
    void start() throws Exception {
        series = SeriesFixture.write(temp, 1);
        pacs.put(Files.readAllBytes(series.files().get(0)));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(TP)));
        PipelineSettings settings = PipelineSettings.defaults(KafkaSettings.plaintext("mock:9092")).withGroup("loop")
                .withTopics(TOPICS).withAttempts(3, Duration.ofMillis(200)).withPacsRetry(ONE_TRY);
        settings = settings.withConsumer(settings.consumer().withShutdownGrace(Duration.ofSeconds(5)));
        pipeline = Pipeline.builder(settings).clients(new MockClients()).enhancer(gate).addPacs(pacs).listener(probe).start();
    }

    @AfterEach
    void stop() {
        gate.open.countDown();
        pipeline.close();
    }

    @Test
    void thePartitionStaysPausedWhileAStudyRunsAndTheNextRecordWaits() throws Exception {
        consumer.append(request(0, "r0", series.studyInstanceUid()));
        consumer.append(request(1, "r1", series.studyInstanceUid()));
        assertTrue(gate.entered.await(10, TimeUnit.SECONDS), "the study began");
        Thread.sleep(500); // the loop goes on polling meanwhile
        assertEquals(java.util.Set.of(TP), consumer.paused(), "paused while the study runs");
        assertEquals(1, probe.started.size(), "the second record is not taken while the first runs");
        assertTrue(pipeline.consumer().lastPoll().isAfter(java.time.Instant.now().minusMillis(300)), "still polling");
        assertTrue(pipeline.consumer().alive());
        gate.open.countDown();
        await(() -> pipeline.consumer().counts().succeeded() == 2, "both requests answered");
        assertEquals(List.of(1L, 2L), committedOffsets(), "each committed after its own answer");
        assertEquals(List.of("r0", "r1"), results().stream().map(r -> r.path("requestId").asText()).toList());
        await(() -> consumer.paused().isEmpty(), "resumed once idle");
    }

    @Test
    void aRevokedPartitionIsHandedOverOnlyAfterItsStudyIsCommitted() throws Exception {
        consumer.append(request(0, "r0", series.studyInstanceUid()));
        assertTrue(gate.entered.await(10, TimeUnit.SECONDS));
        CountDownLatch revoked = new CountDownLatch(1);
        consumer.schedulePollTask(() -> {
            revoked.countDown();
            consumer.rebalance(List.of()); // another member joined and got the partition
        });
        assertTrue(revoked.await(10, TimeUnit.SECONDS));
        Thread.sleep(300); // the hand-over waits for the study, inside poll
        assertEquals(List.of(), committedOffsets(), "nothing committed while the study runs");
        gate.open.countDown();
        await(() -> pipeline.consumer().counts().succeeded() == 1, "answered during the hand-over");
        assertEquals(List.of(1L), committedOffsets(), "committed before the partition went");
        assertEquals(1, pipeline.consumer().counts().rebalances());
        assertEquals(java.util.Set.of(), consumer.assignment());
    }

    @Test
    void aTransientFailureIsTriedAgainAfterTheBackOffWithoutAnAnswer() throws Exception {
        gate.open.countDown();
        pacs.failNext(1, true); // the first attempt's pre-flight ping
        consumer.append(request(0, "r0", series.studyInstanceUid()));
        await(() -> pipeline.consumer().counts().succeeded() == 1, "answered on the second attempt");
        assertEquals(2, probe.started.size());
        assertEquals(List.of("pacs-unavailable"), probe.retrying);
        long between = probe.started.get(1) - probe.started.get(0);
        assertTrue(between >= Duration.ofMillis(200).toNanos(), "the back-off: " + between / 1_000_000 + " ms");
        assertEquals(List.of(1L), committedOffsets());
        assertEquals(1, results().size(), "one answer, for the attempt that succeeded");
        assertEquals(2, pacs.calls("ping"));
    }

    @Test
    void aPermanentFailureIsDeadLetteredAtOnceWithAFailedResultInTheSameCommit() throws Exception {
        gate.open.countDown();
        consumer.append(request(0, "r0", "1.2.3.4")); // a study the PACS does not know
        await(() -> pipeline.consumer().counts().deadLettered() == 1, "dead-lettered");
        assertEquals(1, probe.started.size(), "not tried again");
        assertEquals(List.of("study-not-found"), probe.failed);
        MockProducer<String, byte[]> p = resultProducers.get(0);
        assertEquals(1, p.commitCount());
        List<ProducerRecord<String, byte[]>> sent = p.history();
        assertEquals(List.of("dlq", "res"), sent.stream().map(ProducerRecord::topic).toList());
        assertEquals("study-not-found", header(sent.get(0), DeadLetterHeaders.ERROR_CODE));
        assertEquals("r0", header(sent.get(0), DeadLetterHeaders.REQUEST_ID));
        assertEquals("0", header(sent.get(0), DeadLetterHeaders.ORIGINAL_OFFSET));
        assertEquals("failed", EventJson.mapper().readTree(sent.get(1).value()).path("status").asText());
        assertEquals(List.of(1L), committedOffsets());
    }

    @Test
    void aTransientFailureThatOutlastsTheAttemptsIsDeadLetteredSayingSo() throws Exception {
        gate.open.countDown();
        pacs.failNext(100, true);
        consumer.append(request(0, "r0", series.studyInstanceUid()));
        await(() -> pipeline.consumer().counts().deadLettered() == 1, "given up");
        assertEquals(3, probe.started.size());
        ProducerRecord<String, byte[]> letter = resultProducers.get(0).history().get(0);
        assertEquals("pacs-unavailable", header(letter, DeadLetterHeaders.ERROR_CODE));
        assertEquals("gave up after 3 attempts: pacs: ping could not connect", header(letter, DeadLetterHeaders.REASON));
    }

    @Test
    void theOffsetIsCommittedOnlyWithTheAnswerAndAFailedCommitDoesNotRedoTheStudy() throws Exception {
        failCommits = true; // the broker takes the records but every commit fails, until further notice
        gate.open.countDown();
        consumer.append(request(0, "r0", series.studyInstanceUid()));
        await(() -> probe.retrying.contains("kafka-unavailable"), "a commit failed");
        assertEquals(List.of(), committedOffsets(), "no offset without its answer");
        assertTrue(resultProducers.get(0).history().isEmpty(), "no answer visible: its transaction was aborted");
        assertTrue(resultProducers.get(0).transactionAborted());
        consumer.schedulePollTask(() -> { // on the polling thread, which uses the producer
            failCommits = false;
            resultProducers.forEach(p -> p.commitTransactionException = null);
        });
        await(() -> pipeline.consumer().counts().succeeded() == 1, "committed once the broker is back");
        assertEquals(1, probe.started.size(), "the study was not done again, only its answer published again");
        assertEquals(List.of(1L), committedOffsets());
        assertEquals(1, results().size());
    }

    @Test
    void aRecordTheProcessDiedOnAsOftenAsAllowedIsDeadLetteredWithoutAnotherAttempt() throws Exception {
        gate.open.countDown();
        int max = pipeline.settings().consumer().maxCrashAttempts();
        await(() -> consumer.assignment().contains(TP), "assigned"); // MockConsumer's subscribe forgets commits
        // what the last process to die on the record left behind: its attempt marker, at the record's own offset
        consumer.commitSync(Map.of(TP, new OffsetAndMetadata(0, CrashMarkers.encode(max - 1, "a-dead-process"))));
        consumer.append(request(0, "r0", series.studyInstanceUid()));
        consumer.append(request(1, "r1", series.studyInstanceUid()));
        await(() -> pipeline.consumer().counts().deadLettered() == 1 && pipeline.consumer().counts().succeeded() == 1, "quarantined, then the next");
        assertEquals(1, probe.started.size(), "only the next record was attempted");
        assertEquals(List.of("crashed-the-worker"), probe.failed);
        List<ProducerRecord<String, byte[]>> sent = resultProducers.get(0).history();
        assertEquals(List.of("dlq", "res", "res"), sent.stream().map(ProducerRecord::topic).toList());
        assertEquals("crashed-the-worker", header(sent.get(0), DeadLetterHeaders.ERROR_CODE));
        assertEquals(CrashedTheWorkerException.class.getName(), header(sent.get(0), DeadLetterHeaders.ERROR_CLASS));
        assertEquals("r0", header(sent.get(0), DeadLetterHeaders.REQUEST_ID));
        JsonNode failed = EventJson.mapper().readTree(sent.get(1).value());
        assertEquals("failed", failed.path("status").asText());
        assertEquals("crashed-the-worker", failed.path("errorCode").asText());
        assertEquals(List.of(1L, 2L), committedOffsets(), "the dead letter in the same commit as its offset");
    }

    @Test
    void anotherProcesssMarkerCountsOneCrashAndTheRecordIsAttemptedAgain() throws Exception {
        gate.open.countDown();
        await(() -> consumer.assignment().contains(TP), "assigned"); // MockConsumer's subscribe forgets commits
        consumer.commitSync(Map.of(TP, new OffsetAndMetadata(0, CrashMarkers.encode(0, "a-dead-process"))));
        consumer.append(request(0, "r0", series.studyInstanceUid()));
        await(() -> pipeline.consumer().counts().succeeded() == 1, "attempted and answered");
        OffsetAndMetadata marker = consumer.committed(java.util.Set.of(TP)).get(TP);
        assertEquals(0L, marker.offset(), "the marker sits at the record's own offset");
        assertEquals(1, CrashMarkers.decode(marker.metadata()).crashes(), "one crash counted before this attempt");
    }

    @Test
    void aTransientRetryInTheSameProcessIsNoCrash() throws Exception {
        gate.open.countDown();
        pacs.failNext(1, true);
        consumer.append(request(0, "r0", series.studyInstanceUid()));
        await(() -> pipeline.consumer().counts().succeeded() == 1, "answered on the second attempt");
        assertEquals(2, probe.started.size());
        assertEquals(0, CrashMarkers.decode(consumer.committed(java.util.Set.of(TP)).get(TP).metadata()).crashes());
    }

    // ---- the stand-ins for the broker, and what the test watches

    private List<Long> committedOffsets() {
        List<Long> offsets = new ArrayList<>();
        for (MockProducer<String, byte[]> p : resultProducers) {
            for (Map<String, Map<TopicPartition, OffsetAndMetadata>> commit : p.consumerGroupOffsetsHistory()) {
                commit.values().forEach(m -> offsets.add(m.get(TP).offset()));
            }
        }
        return offsets;
    }

    private List<JsonNode> results() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (MockProducer<String, byte[]> p : resultProducers) {
            for (ProducerRecord<String, byte[]> r : p.history()) {
                if (r.topic().equals(TOPICS.results())) {
                    out.add(EventJson.mapper().readTree(r.value()));
                }
            }
        }
        return out;
    }

    private static ConsumerRecord<String, byte[]> request(long offset, String id, String study) {
        String json = "{\"requestId\":\"" + id + "\",\"studyInstanceUid\":\"" + study
                + "\",\"sourcePacs\":\"pacs\",\"targetPacs\":\"pacs\",\"operation\":\"enhance\"}";
        return new ConsumerRecord<>(TP.topic(), TP.partition(), offset, study, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String header(ProducerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Hands out the mock clients for the properties KafkaClients made, checking the ones the loop relies on. */
    private volatile boolean failCommits;

    private final class MockClients implements KafkaClients.Factory {

        @Override
        public Consumer<String, byte[]> consumer(Map<String, Object> properties) {
            assertEquals(false, properties.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
            assertEquals(1, properties.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
            return consumer;
        }

        @Override
        public Producer<String, byte[]> producer(Map<String, Object> properties) {
            MockProducer<String, byte[]> p = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
            if (properties.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
                if (failCommits) {
                    p.commitTransactionException = new KafkaException("broker away");
                }
                resultProducers.add(p);
            }
            return p;
        }
    }

    /**
     * MockConsumer with a partition log: it fetches one record per poll from the position (MockConsumer itself forgets
     * what it handed out, while the loop seeks back to fetch a record again), and an idle poll waits a little, as
     * Kafka's does.
     */
    static final class LogConsumer extends MockConsumer<String, byte[]> {
        private final List<ConsumerRecord<String, byte[]>> log = new ArrayList<>();

        LogConsumer() {
            super("earliest");
        }

        synchronized void append(ConsumerRecord<String, byte[]> record) {
            log.add(record);
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            ConsumerRecords<String, byte[]> fetched = fetch();
            if (fetched.isEmpty() && !timeout.isZero()) {
                try {
                    Thread.sleep(Math.min(timeout.toMillis(), 20));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return fetched;
        }

        private synchronized ConsumerRecords<String, byte[]> fetch() {
            super.poll(Duration.ZERO); // poll tasks (rebalances), wake-ups, position resets
            for (TopicPartition tp : assignment()) {
                if (paused().contains(tp)) {
                    continue;
                }
                long position = position(tp);
                for (ConsumerRecord<String, byte[]> r : log) {
                    if (r.partition() == tp.partition() && r.offset() == position) {
                        seek(tp, position + 1);
                        return new ConsumerRecords<>(Map.of(tp, List.of(r)), Map.of(tp, new OffsetAndMetadata(position + 1)));
                    }
                }
            }
            return ConsumerRecords.empty();
        }
    }

    /** What the pipeline reported, in order. */
    private static final class Probe implements PipelineListener {
        final List<Long> started = new CopyOnWriteArrayList<>();
        final List<String> retrying = new CopyOnWriteArrayList<>();
        final List<String> failed = new CopyOnWriteArrayList<>();

        @Override
        public void started() {
            started.add(System.nanoTime());
        }

        @Override
        public void succeeded(StageTimings timings) {
        }

        @Override
        public void retrying(String errorCode) {
            retrying.add(errorCode);
        }

        @Override
        public void failed(String errorCode) {
            failed.add(errorCode);
        }
    }

    /** Bicubic that waits at its first call until the test opens the gate: a study that is still running. */
    private static final class Gate implements Enhancer {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        private final BicubicEnhancer bicubic = new BicubicEnhancer(2);

        @Override
        public String modelId() {
            return bicubic.modelId();
        }

        @Override
        public String modelVersion() {
            return bicubic.modelVersion();
        }

        @Override
        public int scale() {
            return 2;
        }

        @Override
        public EnhancedImage enhance(FloatImage image, EnhanceSettings settings) {
            return enhanceAll(List.of(image), settings).get(0);
        }

        @Override
        public List<EnhancedImage> enhanceAll(List<FloatImage> images, EnhanceSettings settings) {
            entered.countDown();
            try {
                assertTrue(open.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return bicubic.enhanceAll(images, settings);
        }
    }
}
