package io.scanenhancer.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanenhancer.devservices.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

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

/**
 * The Quarkus service as {@code ./enhancer serve} runs it (CDI wiring, @ConfigMapping, fault tolerance, health),
 * against a real broker and Orthanc: readiness reports Kafka and every PACS, and a request is processed.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
class ServeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/q/health/ready")
    URL ready;
    @TestHTTPResource("/q/health/live")
    URL live;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "test.study-uid")
    String study;
    @ConfigProperty(name = "test.sample-count")
    int sampleCount;

    @Test
    void healthReportsKafkaAndEveryPacs() throws Exception {
        JsonNode health = get(ready);
        assertEquals("UP", health.path("status").asText(), health.toString());
        Map<String, JsonNode> checks = new java.util.HashMap<>();
        health.path("checks").forEach(c -> checks.put(c.path("name").asText(), c));
        assertEquals("UP", checks.get("kafka").path("status").asText());
        assertEquals("up", checks.get("pacs").path("data").path("orthanc").asText());
        assertEquals("up", checks.get("pacs").path("data").path("orthanc-dimse").asText());
        assertEquals("UP", get(live).path("status").asText());
    }

    @Test
    void theServiceEnhancesARequestedStudy() throws Exception {
        String requestId = UUID.randomUUID().toString();
        String request = "{\"requestId\":\"" + requestId + "\",\"studyInstanceUid\":\"" + study
                + "\",\"sourcePacs\":\"orthanc\",\"targetPacs\":\"orthanc-dimse\",\"operation\":\"enhance\",\"scale\":2}";
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            p.send(new ProducerRecord<>("imaging.study.requested", study, request)).get();
        }
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
