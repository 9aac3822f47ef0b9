package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.StartsServices;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.ServeProcess;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.harness.fault.HaltOnStudy;
import io.scanenhancer.messaging.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request that kills {@code serve} every time it is attempted (the test-only agent {@link HaltOnStudy} halts the
 * JVM as an out-of-memory kill would), followed by a normal request in the same partition. The test restarts the
 * service as a supervisor would, until it stays up: the crash loop ends after enhancer.consumer.max-crash-attempts
 * deaths, the poison request is dead-lettered as crashed-the-worker with a failed result, the next request is
 * processed, and the REST job of the poison request says failed.
 */
@StartsServices
class PoisonPillKillIT {
    private static final String GROUP = "poison";
    private static final String REQUESTS = "poison.requested";
    private static final String RESULTS = "poison.enhanced";
    private static final String DEAD_LETTERS = "poison.dlq";
    private static final int MAX_CRASHES = 2;
    private static final String TOKEN = "poison-test-token";

    @TempDir
    Path temp;

    @Test
    void aRequestThatKillsTheServiceIsQuarantinedAndTheNextOneIsProcessed() throws Exception {
        try (LocalStack stack = LocalStack.start()) {
            SeriesFixture poison = SeriesFixture.write(temp.resolve("poison"), 2);
            SeriesFixture normal = SeriesFixture.write(temp.resolve("normal"), 2);
            E2e.uploadViaRest(stack.orthanc(), poison.files());
            E2e.uploadViaRest(stack.orthanc(), normal.files());
            stack.broker().createTopics(REQUESTS, RESULTS, DEAD_LETTERS);
            String bootstrap = stack.broker().bootstrapServers();
            String poisonId = "poison-" + UUID.randomUUID();
            String normalId = "normal-" + UUID.randomUUID();
            publishToPartitionZero(bootstrap, poison.studyInstanceUid(), poisonId);
            publishToPartitionZero(bootstrap, normal.studyInstanceUid(), normalId);
            Path agent = HaltOnStudy.writeAgentJar(temp.resolve("agent"));
            List<String> jvm = List.of("-Xmx1g", "-javaagent:" + agent + "=" + poison.studyInstanceUid());

            long firstStart = System.currentTimeMillis();
            int deaths = 0;
            ServeProcess survivor = null;
            try {
                // the supervisor: restart at once after each death, a bounded number of times
                for (int start = 1; start <= MAX_CRASHES + 2 && survivor == null; start++) {
                    Path log = PhiInLogsIT.SUBPROCESS_LOGS.resolve("service-poison-" + start + ".log");
                    Files.deleteIfExists(log); // the log is appended to: an earlier run's quarantine line must not count
                    ServeProcess p = ServeProcess.start(stack, log, jvm, settings());
                    OptionalInt exit = awaitExitOrQuarantine(p, Duration.ofMinutes(2));
                    if (exit.isPresent()) {
                        assertEquals(HaltOnStudy.EXIT_STATUS, exit.getAsInt(), "halted by the poison: " + p.tail());
                        deaths++;
                    } else {
                        survivor = p;
                    }
                }
                assertTrue(survivor != null, "the crash loop did not end within " + (MAX_CRASHES + 2) + " starts");
                assertEquals(MAX_CRASHES, deaths, "attempts that killed the service");

                JsonNode failed = E2e.awaitResult(bootstrap, RESULTS, poisonId);
                assertEquals("failed", failed.path("status").asText(), failed.toString());
                assertEquals("crashed-the-worker", failed.path("errorCode").asText());
                ConsumerRecord<String, byte[]> letter = TopicReader.await(bootstrap, DEAD_LETTERS,
                        r -> poisonId.equals(header(r, DeadLetterHeaders.REQUEST_ID)), Duration.ofSeconds(30))
                        .orElseThrow(() -> new AssertionError("no dead letter for the poison request"));
                assertEquals("crashed-the-worker", header(letter, DeadLetterHeaders.ERROR_CODE));
                assertTrue(header(letter, DeadLetterHeaders.REASON).contains("died " + MAX_CRASHES + " times"),
                        header(letter, DeadLetterHeaders.REASON));
                assertEquals("0", header(letter, DeadLetterHeaders.ORIGINAL_OFFSET));

                JsonNode ok = E2e.awaitResult(bootstrap, RESULTS, normalId);
                assertEquals("succeeded", ok.path("status").asText(), ok.toString());
                ConsumerRecord<String, byte[]> okRecord = TopicReader.await(bootstrap, RESULTS,
                        r -> new String(r.value(), StandardCharsets.UTF_8).contains(normalId), Duration.ofSeconds(30))
                        .orElseThrow();
                assertEquals(2, E2e.qidoSeries(stack.orthanc(), normal.studyInstanceUid()).size(),
                        "the next request's derived series is stored beside its source");
                assertEquals(1, E2e.qidoSeries(stack.orthanc(), poison.studyInstanceUid()).size(),
                        "nothing derived from the poison study");
                assertEquals(1, ServiceKillIT.count(TopicReader.readAll(bootstrap, RESULTS), poisonId),
                        "one answer to the poison request");
                assertEquals(1, ServiceKillIT.count(TopicReader.readAll(bootstrap, DEAD_LETTERS), poisonId));

                assertEquals("failed", awaitJobStatus(survivor, poisonId, "failed", Duration.ofSeconds(30)));
                assertTrue(survivor.log().contains("quarantined"), survivor.tail());

                System.out.printf("poison-pill quarantine: max-crash-attempts %d, the service died %d times; dead "
                                + "letter %d ms after the first start; next request's result %d ms after the dead "
                                + "letter%n", MAX_CRASHES, deaths, letter.timestamp() - firstStart,
                        okRecord.timestamp() - letter.timestamp());
            } finally {
                if (survivor != null) {
                    survivor.close();
                }
            }
        }
    }

    private static Map<String, String> settings() {
        // static membership: a restarted process takes the partition back at once instead of after the session timeout
        return Map.of("enhancer.topics.requests", REQUESTS, "enhancer.topics.results", RESULTS,
                "enhancer.topics.dead-letters", DEAD_LETTERS, "enhancer.consumer.group-id", GROUP,
                "enhancer.consumer.instance-id", GROUP + "-0", "enhancer.consumer.session-timeout", "10s",
                "enhancer.consumer.max-crash-attempts", Integer.toString(MAX_CRASHES),
                "enhancer.api.auth.token", TOKEN);
    }

    /** Both requests into partition 0, the poison first: the normal one waits behind it. */
    private static void publishToPartitionZero(String bootstrap, String study, String requestId) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            p.send(new ProducerRecord<>(REQUESTS, 0, study,
                    E2e.request(requestId, study, LocalStack.DICOMWEB, LocalStack.DICOMWEB))).get();
        }
    }

    /** The exit status once the process died, or empty once it has logged the quarantine and still runs. */
    private static OptionalInt awaitExitOrQuarantine(ServeProcess p, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            OptionalInt exit = p.awaitExit(Duration.ofMillis(100));
            if (exit.isPresent()) {
                return exit;
            }
            if (p.log().contains("quarantined")) {
                return OptionalInt.empty();
            }
        }
        p.close();
        throw new AssertionError("neither died nor quarantined within " + timeout + ": " + p.tail());
    }

    private static String awaitJobStatus(ServeProcess p, String jobId, String wanted, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort()
                            + "/jobs/" + jobId)).header("Authorization", "Bearer " + TOKEN)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200 && wanted.equals(E2e.JSON.readTree(r.body()).path("status").asText())) {
                return wanted;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + jobId + " not " + wanted + " within " + timeout + "; last answer: " + last);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
