package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanenhancer.harness.LocalOrthanc;
import io.scanenhancer.harness.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Steps the end-to-end tests share; PACS checks go over plain HTTP, not through the service's own PACS code. */
final class E2e {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration RESULT_TIMEOUT = Duration.ofMinutes(3);

    private E2e() {
    }

    static void uploadViaRest(LocalOrthanc orthanc, List<Path> files) throws IOException {
        for (Path f : files) {
            HttpResponse<String> r = orthanc.post("/instances", Files.readAllBytes(f));
            assertEquals(200, r.statusCode(), r.body());
        }
    }

    static String request(String requestId, String study, String source, String target) {
        return "{\"requestId\":\"" + requestId + "\",\"studyInstanceUid\":\"" + study + "\",\"sourcePacs\":\"" + source
                + "\",\"targetPacs\":\"" + target + "\",\"operation\":\"enhance\",\"scale\":2}";
    }

    static void publish(String bootstrap, String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            p.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    static void publish(String bootstrap, String topic, String key, String value) throws Exception {
        publish(bootstrap, topic, key, value.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode awaitResult(String bootstrap, String topic, String requestId) throws IOException {
        ConsumerRecord<String, byte[]> r = TopicReader.await(bootstrap, topic,
                rec -> requestId.equals(requestIdOf(rec.value())), RESULT_TIMEOUT)
                .orElseThrow(() -> new AssertionError("no result event for " + requestId));
        return JSON.readTree(r.value());
    }

    /**
     * Waits until the group has committed, on every partition of {@code requestsTopic}, the topic's end offset. An
     * answer is published in the same transaction as its offset commit, so from then on no request of the topic can be
     * answered again: what a test then reads from the result topic is final, without a fixed wait for a duplicate.
     */
    static void awaitAllAnswered(String bootstrap, String group, String requestsTopic, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<org.apache.kafka.common.TopicPartition, Long> end = Map.of();
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = Map.of();
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (System.nanoTime() < deadline) {
                end = TopicReader.endOffsets(bootstrap, requestsTopic);
                committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                var c = committed;
                if (end.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || (c.get(e.getKey()) != null && c.get(e.getKey()).offset() == e.getValue()))) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("group " + group + " has not answered all of " + requestsTopic + " within " + timeout
                + ": end offsets " + end + ", committed " + committed);
    }

    private static String requestIdOf(byte[] value) {
        try {
            return JSON.readTree(value).path("requestId").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    static com.networknt.schema.JsonSchema resultSchema() throws IOException {
        try (java.io.InputStream in = E2e.class.getResourceAsStream("/schemas/study-enhanced.schema.json")) {
            return com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
                    .getSchema(JSON.readTree(in));
        }
    }

    /** QIDO-RS over plain HTTP: the instances of a series with Rows, Columns and Pixel Spacing. */
    static JsonNode qidoInstances(LocalOrthanc orthanc, String study, String series) throws Exception {
        return getJson(orthanc, "/dicom-web/studies/" + study + "/series/" + series
                + "/instances?includefield=00280010&includefield=00280011&includefield=00280030");
    }

    static JsonNode qidoSeries(LocalOrthanc orthanc, String study) throws Exception {
        return getJson(orthanc, "/dicom-web/studies/" + study + "/series");
    }

    static JsonNode getJson(LocalOrthanc orthanc, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(orthanc.httpUrl() + path))
                .header("Accept", "application/dicom+json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (orthanc.user() + ":" + orthanc.password()).getBytes(StandardCharsets.UTF_8))).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** Deletes one instance from Orthanc by SOP Instance UID (REST), as if an earlier store had stopped short. */
    static void deleteInstance(LocalOrthanc orthanc, String sopInstanceUid) throws Exception {
        HttpResponse<String> found = orthanc.post("/tools/lookup", sopInstanceUid.getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, found.statusCode(), found.body());
        String id = JSON.readTree(found.body()).get(0).path("ID").asText();
        HttpRequest req = HttpRequest.newBuilder(URI.create(orthanc.httpUrl() + "/instances/" + id)).DELETE()
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (orthanc.user() + ":" + orthanc.password()).getBytes(StandardCharsets.UTF_8))).build();
        assertEquals(200, HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    static int stored(JsonNode result) {
        return result.path("series").get(0).path("storedInstances").asInt();
    }

    static int alreadyPresent(JsonNode result) {
        return result.path("series").get(0).path("alreadyPresentInstances").asInt();
    }

    /** The checks every happy path makes on what the PACS now holds. */
    static void assertDerivedSeries(LocalOrthanc orthanc, SeriesFixture source, JsonNode result) throws Exception {
        assertEquals("succeeded", result.path("status").asText(), result.toString());
        assertEquals(java.util.Set.of(), resultSchema().validate(result), "the published result matches its JSON Schema");
        JsonNode series = result.path("series").get(0);
        assertEquals(source.seriesInstanceUid(), series.path("sourceSeriesInstanceUid").asText());
        String derived = series.path("derivedSeriesInstanceUid").asText();
        assertTrue(!derived.isEmpty() && !derived.equals(source.seriesInstanceUid()));
        assertEquals(source.files().size(), series.path("sourceInstances").asInt());
        assertEquals(source.files().size(), series.path("derivedInstances").asInt());
        assertEquals(source.files().size(), series.path("storedInstances").asInt()
                + series.path("alreadyPresentInstances").asInt(), "every derived instance was stored or already there");

        JsonNode allSeries = qidoSeries(orthanc, source.studyInstanceUid());
        assertTrue(allSeries.toString().contains(derived), "QIDO-RS lists the derived series in the study");
        JsonNode instances = qidoInstances(orthanc, source.studyInstanceUid(), derived);
        assertEquals(source.files().size(), instances.size(), "derived instance count in the PACS");
        for (JsonNode instance : instances) {
            assertEquals(2 * source.rows(), instance.path("00280010").path("Value").get(0).asInt(), "Rows doubled");
            assertEquals(2 * source.columns(), instance.path("00280011").path("Value").get(0).asInt(), "Columns doubled");
            JsonNode spacing = instance.path("00280030").path("Value");
            assertEquals(source.pixelSpacing()[0] / 2, spacing.get(0).asDouble(), 1e-6, "row spacing halved");
            assertEquals(source.pixelSpacing()[1] / 2, spacing.get(1).asDouble(), 1e-6, "column spacing halved");
        }
        JsonNode timings = result.path("timingsMs");
        assertTrue(timings.path("total").asLong() >= timings.path("retrieve").asLong() + timings.path("enhance").asLong()
                + timings.path("store").asLong() - 3, "stage timings add up to at most the total");
    }
}
