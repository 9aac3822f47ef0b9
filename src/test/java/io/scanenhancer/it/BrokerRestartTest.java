package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.messaging.StudyRequestConsumer;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.messaging.KafkaSettings;
import io.scanenhancer.pipeline.Pipeline;
import io.scanenhancer.pipeline.PipelineListener;
import io.scanenhancer.pipeline.PipelineSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker (its own JVM) restarted while the consumer is idle (SIGTERM) and while it is in the middle of a study
 * (SIGKILL, back after 5 s): no request is lost and none is processed into a second series or a second result.
 */
@io.scanenhancer.StartsServices
class BrokerRestartTest {
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    private static final Topics TOPICS = new Topics("restart.requested", "restart.enhanced", "restart.dlq");

    @TempDir
    Path temp;
    private ExternalKafkaBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = ExternalKafkaBroker.start(temp.resolve("kafka"));
        broker.createTopics(TOPICS.requests(), TOPICS.results(), TOPICS.deadLetters());
    }

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void restartWhileIdleLosesNothingAndRepeatsNothing() throws Exception {
        LocalStack stack = SharedStack.get();
        SeriesFixture before = SeriesFixture.write(temp.resolve("before"), 2);
        SeriesFixture after = SeriesFixture.write(temp.resolve("after"), 2);
        E2e.uploadViaRest(stack.orthanc(), before.files());
        E2e.uploadViaRest(stack.orthanc(), after.files());
        try (Pipeline pipeline = pipeline(stack, PipelineListener.NONE)) {
            StudyRequestConsumer consumer = pipeline.consumer();
            String first = request(before);
            E2e.awaitResult(broker.bootstrapServers(), TOPICS.results(), first);

            broker.stop(false);
            java.time.Instant stopped = java.time.Instant.now();
            awaitPollsWithoutBroker(consumer, stopped);
            long down = System.nanoTime();
            long startup = broker.launch();
            String second = request(after);
            JsonNode result = E2e.awaitResult(broker.bootstrapServers(), TOPICS.results(), second);
            assertEquals("succeeded", result.path("status").asText(), result.toString());
            assertTrue(consumer.alive(), "the consumer survived the restart");
            E2e.awaitAllAnswered(broker.bootstrapServers(), "restart", TOPICS.requests(), Duration.ofSeconds(30));
            List<ConsumerRecord<String, byte[]>> results = TopicReader.readAll(broker.bootstrapServers(), TOPICS.results());
            assertEquals(1, count(results, first), "the request from before the restart was not processed again");
            assertEquals(1, count(results, second));
            assertEquals(2, E2e.qidoSeries(stack.orthanc(), before.studyInstanceUid()).size());
            assertEquals(2, E2e.qidoSeries(stack.orthanc(), after.studyInstanceUid()).size());
            System.out.printf("broker restart while idle: broker back in %d ms, the next request answered %d ms after "
                    + "the restart began; result events 1 + 1%n", startup, ExternalKafkaBroker.since(down).toMillis());
        }
    }

    @Test
    void restartWhileBusyFinishesTheStudyOnce() throws Exception {
        LocalStack stack = SharedStack.get();
        SeriesFixture series = SeriesFixture.write(temp.resolve("busy"), 3);
        E2e.uploadViaRest(stack.orthanc(), series.files());
        AtomicBoolean killed = new AtomicBoolean();
        AtomicLong back = new AtomicLong();
        PipelineListener killOnFirstStudy = new PipelineListener() {
            @Override
            public void started() {
                if (killed.compareAndSet(false, true)) {
                    try {
                        broker.stop(true);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    new Thread(() -> {
                        try {
                            Thread.sleep(OUTAGE.toMillis()); // the outage the study lives through, not a wait
                            broker.launch();
                            back.set(System.nanoTime());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, "broker-restart").start();
                }
            }
        };
        try (Pipeline pipeline = pipeline(stack, killOnFirstStudy)) {
            StudyRequestConsumer consumer = pipeline.consumer();
            String requestId = request(series);
            JsonNode result = E2e.awaitResult(broker.bootstrapServers(), TOPICS.results(), requestId);
            assertTrue(killed.get() && back.get() > 0, "the broker was killed during the study and came back");
            long answered = System.nanoTime();
            assertEquals("succeeded", result.path("status").asText(), result.toString());
            E2e.awaitAllAnswered(broker.bootstrapServers(), "restart", TOPICS.requests(), Duration.ofSeconds(30));
            List<ConsumerRecord<String, byte[]>> results = TopicReader.readAll(broker.bootstrapServers(), TOPICS.results());
            assertEquals(1, count(results, requestId), "exactly one result event");
            assertEquals(2, E2e.qidoSeries(stack.orthanc(), series.studyInstanceUid()).size(), "source + one derived series");
            assertEquals(3, E2e.qidoInstances(stack.orthanc(), series.studyInstanceUid(),
                    result.path("series").get(0).path("derivedSeriesInstanceUid").asText()).size());
            assertTrue(consumer.alive(), "the consumer survived the restart");
            System.out.printf("broker restart while busy: SIGKILL as the study began, back after 5 s; result %d ms "
                            + "after the broker was back; stored %d, already present %d; result events 1%n",
                    (answered - back.get()) / 1_000_000, E2e.stored(result), E2e.alreadyPresent(result));
        }
    }

    /** Two polls of the consumer's loop after the broker stopped: it kept going against a broker that is not there. */
    private static void awaitPollsWithoutBroker(StudyRequestConsumer consumer, java.time.Instant stopped) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        java.time.Instant first = null;
        while (System.nanoTime() < deadline) {
            java.time.Instant last = consumer.lastPoll();
            if (last.isAfter(stopped)) {
                if (first == null) {
                    first = last;
                } else if (last.isAfter(first)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the consumer did not poll while the broker was down");
    }

    private String request(SeriesFixture series) throws Exception {
        String requestId = UUID.randomUUID().toString();
        E2e.publish(broker.bootstrapServers(), TOPICS.requests(), series.studyInstanceUid(),
                E2e.request(requestId, series.studyInstanceUid(), LocalStack.DICOMWEB, LocalStack.DICOMWEB));
        return requestId;
    }

    /** The production settings pointed at this test's own broker (a JVM of its own, to be killed), 1 s back-off. */
    private Pipeline pipeline(LocalStack stack, PipelineListener listener) {
        PipelineSettings settings = stack.settings("restart").withTopics(TOPICS).withEnhancer(Enhancers.BICUBIC)
                .withKafka(KafkaSettings.plaintext(broker.bootstrapServers())).withAttempts(5, Duration.ofSeconds(1));
        return Pipeline.builder(settings).listener(listener).start();
    }

    private static long count(List<ConsumerRecord<String, byte[]>> records, String requestId) {
        return records.stream().filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(requestId)).count();
    }
}
