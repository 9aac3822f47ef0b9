package io.scanenhancer.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanenhancer.harness.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Quarkus service as {@code ./enhancer serve} runs it (CDI wiring, @ConfigMapping, PACS retry policy, health),
 * against a real broker and Orthanc: readiness reports Kafka and every PACS, and a request is processed.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
@io.scanenhancer.StartsServices
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the zero counters first, before any request
class ServeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/q/health/ready")
    URL ready;
    @TestHTTPResource("/q/health/live")
    URL live;
    @TestHTTPResource("/q/metrics")
    URL metrics;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "test.study-uid")
    String study;
    @ConfigProperty(name = "test.sample-count")
    int sampleCount;

    @Test
    void healthReportsKafkaAndEveryPacs() throws Exception {
        JsonNode health = get(ready);
        Map<String, JsonNode> checks = new java.util.HashMap<>();
        health.path("checks").forEach(c -> checks.put(c.path("name").asText(), c));
        assertEquals("UP", checks.get("kafka").path("status").asText(), health.toString());
        JsonNode pacs = checks.get("pacs").path("data");
        assertEquals("up", pacs.path("orthanc").asText(), health.toString());
        assertEquals("up", pacs.path("orthanc-dimse").asText(), health.toString());
        // the configured PACS "dead" drops every connection: not ready, and readiness says which PACS is why
        assertTrue(pacs.path("dead").asText().contains("dead: QIDO-RS"), health.toString());
        assertEquals("DOWN", checks.get("pacs").path("status").asText());
        assertEquals("DOWN", health.path("status").asText());
        assertEquals("UP", get(live).path("status").asText());
        JsonNode model = checks.get("model");
        assertEquals("UP", model.path("status").asText(), health.toString());
        assertEquals(true, model.path("data").path("loaded").asBoolean());
        assertEquals("bicubic", model.path("data").path("modelId").asText());
        assertEquals(false, model.path("data").path("fellBackToBicubic").asBoolean(), "bicubic was asked for");
    }

    @Test
    @Order(1)
    void countersExistAtZeroBeforeTheFirstRequest() throws Exception {
        Map<String, Double> metrics = scrape();
        for (String series : new String[]{"scanenhancer_requests_total{error_code=\"none\",outcome=\"succeeded\"}",
                "scanenhancer_requests_total{error_code=\"invalid-request\",outcome=\"failed\"}",
                "scanenhancer_requests_total{error_code=\"pacs-unavailable\",outcome=\"retried\"}",
                "scanenhancer_dead_letters_total{error_code=\"invalid-request\"}",
                "scanenhancer_dead_letters_total{error_code=\"pacs-unavailable\"}",
                "scanenhancer_model_fallback_frames_total"}) {
            assertEquals(0.0, metrics.get(series), series + " before any request");
        }
    }

    @Test
    void metricsCountARealRequestAndADeadLetter() throws Exception {
        String succeeded = "scanenhancer_requests_total{error_code=\"none\",outcome=\"succeeded\"}";
        String invalid = "scanenhancer_requests_total{error_code=\"invalid-request\",outcome=\"failed\"}";
        String deadLetters = "scanenhancer_dead_letters_total{error_code=\"invalid-request\"}";
        String storeCount = "scanenhancer_stage_seconds_count{stage=\"store\"}";
        Map<String, Double> before = scrape();
        assertTrue(before.containsKey(storeCount), "stage histograms exist before the first study");
        assertTrue(before.containsKey("scanenhancer_consumer_lag"), "consumer lag gauge");
        assertEquals(0.0, before.get("scanenhancer_model_fell_back_to_bicubic"));

        String requestId = UUID.randomUUID().toString();
        publish("{\"requestId\":\"" + requestId + "\",\"studyInstanceUid\":\"" + study
                + "\",\"sourcePacs\":\"orthanc\",\"targetPacs\":\"orthanc\",\"operation\":\"enhance\"}");
        TopicReader.await(bootstrap, "imaging.study.enhanced", r -> new String(r.value()).contains(requestId),
                Duration.ofMinutes(3)).orElseThrow();
        String badId = UUID.randomUUID().toString();
        publish("{\"requestId\":\"" + badId + "\",\"studyInstanceUid\":42}");
        TopicReader.await(bootstrap, "imaging.study.dlq", r -> badId.equals(header(r, "x-request-id")),
                Duration.ofMinutes(3)).orElseThrow();

        Map<String, Double> after = scrape();
        assertEquals(1.0, after.get(succeeded) - before.getOrDefault(succeeded, 0.0), "succeeded requests");
        assertEquals(1.0, after.get(invalid) - before.getOrDefault(invalid, 0.0), "failed requests by error code");
        assertEquals(1.0, after.get(deadLetters) - before.getOrDefault(deadLetters, 0.0), "dead letters");
        assertEquals(1.0, after.get(storeCount) - before.get(storeCount), "one more store stage timed");
        assertTrue(after.get("scanenhancer_stage_seconds_sum{stage=\"total\"}")
                > before.get("scanenhancer_stage_seconds_sum{stage=\"total\"}"), "total time grew");
        assertTrue(after.keySet().stream().anyMatch(k -> k.startsWith("scanenhancer_stage_seconds_bucket{") && k.contains("le=")),
                "latency histogram buckets");
        assertEquals(0.0, after.get("scanenhancer_studies_in_flight"), "nothing in flight once both are answered");
        assertTrue(after.get("scanenhancer_consumer_lag") >= 0);
    }

    /** Prometheus text format: sample name with labels -> value. */
    private Map<String, Double> scrape() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metrics.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        Map<String, Double> samples = new java.util.HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("scanenhancer_")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    @ConfigProperty(name = "test.dead-pacs-counter")
    String deadPacsCounter;

    @Test
    void transientPacsFailuresAreRetriedThenDeadLettered() throws Exception {
        String requestId = UUID.randomUUID().toString();
        String request = "{\"requestId\":\"" + requestId + "\",\"studyInstanceUid\":\"" + study
                + "\",\"sourcePacs\":\"dead\",\"targetPacs\":\"orthanc\",\"operation\":\"enhance\"}";
        int before = deadPacsConnections();
        publish(request);
        ConsumerRecord<String, byte[]> letter = TopicReader.await(bootstrap, "imaging.study.dlq",
                r -> requestId.equals(header(r, "x-request-id")), Duration.ofMinutes(3)).orElseThrow();
        assertEquals("pacs-unavailable", header(letter, "x-error-code"));
        assertTrue(header(letter, "x-reason").startsWith("gave up after 2 attempts"), header(letter, "x-reason"));
        // 2 attempts by the consumer, each with the first QIDO-RS call tried 3 times (PacsRetryPolicy find-tries);
        // java.net.http may repeat a GET once on its own when a connection closes before any answer, so 6 to 12
        assertTrue(header(letter, "x-reason").endsWith("(3 tries)"), header(letter, "x-reason"));
        int connections = deadPacsConnections() - before;
        assertTrue(connections >= 6 && connections <= 12, "the dead PACS saw " + connections + " connections");
    }

    private int deadPacsConnections() throws IOException {
        return Integer.parseInt(java.nio.file.Files.readString(java.nio.file.Path.of(deadPacsCounter)).trim());
    }

    private void publish(String request) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            p.send(new ProducerRecord<>("imaging.study.requested", study, request)).get();
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void theServiceEnhancesARequestedStudy() throws Exception {
        String requestId = UUID.randomUUID().toString();
        String request = "{\"requestId\":\"" + requestId + "\",\"studyInstanceUid\":\"" + study
                + "\",\"sourcePacs\":\"orthanc\",\"targetPacs\":\"orthanc-dimse\",\"operation\":\"enhance\",\"scale\":2}";
        publish(request);
        ConsumerRecord<String, byte[]> record = TopicReader.await(bootstrap, "imaging.study.enhanced",
                r -> new String(r.value()).contains(requestId), Duration.ofMinutes(3)).orElseThrow();
        JsonNode result = JSON.readTree(record.value());
        assertEquals("succeeded", result.path("status").asText(), result.toString());
        assertEquals(sampleCount, result.path("series").get(0).path("derivedInstances").asInt());
        assertEquals("bicubic", result.path("modelId").asText());
    }

    private static JsonNode get(URL url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }
}
