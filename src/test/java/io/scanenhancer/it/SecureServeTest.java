package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanenhancer.harness.LocalKafkaBroker;
import io.scanenhancer.harness.LocalOrthanc;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.config.PipelineSettingsFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Quarkus service configured only through properties (as the environment would set them) against a broker that
 * accepts SASL_SSL/SCRAM-SHA-512 and TLS only, and a DICOMweb PACS over https with a private CA.
 */
@QuarkusTest
@QuarkusTestResource(value = SecureServeTest.SecureStack.class, restrictToAnnotatedClass = true)
@io.scanenhancer.StartsServices
class SecureServeTest {
    @TestHTTPResource("/q/health/ready")
    URL ready;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "test.study-uid")
    String study;

    @Test
    void theServiceEnhancesAStudyOverSaslSslAndHttps() throws Exception {
        Map<String, Object> security = PipelineSettingsFactory.kafka(ConfigProvider.getConfig()).security();
        assertEquals("SASL_SSL", security.get("security.protocol"));

        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ready.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode checks = E2e.JSON.readTree(health.body()).path("checks");
        Map<String, JsonNode> byName = new HashMap<>();
        checks.forEach(c -> byName.put(c.path("name").asText(), c));
        assertEquals("UP", byName.get("kafka").path("status").asText(), health.body());
        assertEquals("up", byName.get("pacs").path("data").path("orthanc").asText(), health.body());

        String requestId = UUID.randomUUID().toString();
        Map<String, Object> p = new HashMap<>(security);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>("imaging.study.requested", study,
                    E2e.request(requestId, study, "orthanc", "orthanc"))).get();
        }
        JsonNode result = E2e.JSON.readTree(TopicReader.await(bootstrap, security, "imaging.study.enhanced",
                r -> new String(r.value()).contains(requestId), Duration.ofMinutes(3)).orElseThrow().value());
        assertEquals("succeeded", result.path("status").asText(), result.toString());
        assertEquals(3, result.path("series").get(0).path("storedInstances").asInt(), result.toString());
    }

    public static class SecureStack implements QuarkusTestResourceLifecycleManager {
        private Path dir;
        private LocalKafkaBroker broker;
        private LocalOrthanc orthanc;
        private TlsProxy https;

        @Override
        public Map<String, String> start() {
            try {
                dir = Files.createTempDirectory("scanenhancer-secure-");
                TestCa ca = TestCa.make(dir);
                byte[] secret = new byte[12];
                new SecureRandom().nextBytes(secret);
                String scram = HexFormat.of().formatHex(secret);
                broker = LocalKafkaBroker.startSecure(new LocalKafkaBroker.Tls(ca.serverKeyStore, ca.password,
                        ca.trustStore, ca.password, Map.of("enhancer", scram)));
                orthanc = LocalOrthanc.start();
                https = new TlsProxy(orthanc, null, ca.serverKeyStore, ca.password);
                SeriesFixture series = SeriesFixture.write(Files.createDirectory(dir.resolve("series")), 3);
                E2e.uploadViaRest(orthanc, series.files());
                Map<String, String> c = new HashMap<>();
                c.put("kafka.bootstrap.servers", broker.saslBootstrapServers());
                c.put("kafka.security.protocol", "SASL_SSL");
                c.put("kafka.ssl.truststore.location", ca.trustStore.toString());
                c.put("kafka.ssl.truststore.password", ca.password);
                c.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
                c.put("kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"enhancer\" password=\"" + scram + "\";");
                c.put("enhancer.pacs.orthanc.url", https.dicomWebUrl());
                c.put("enhancer.pacs.orthanc.username", orthanc.user());
                c.put("enhancer.pacs.orthanc.password", orthanc.password());
                c.put("enhancer.pacs.orthanc.trust-store", ca.caPem.toString());
                c.put("enhancer.pacs.orthanc-dimse.host", "127.0.0.1");
                c.put("enhancer.pacs.orthanc-dimse.port", Integer.toString(orthanc.dicomPort()));
                c.put("enhancer.model.kind", "bicubic");
                c.put("enhancer.consumer.group-id", "secure-serve-test");
                c.put("test.study-uid", series.studyInstanceUid());
                // ServeTest's injection points are validated in every @QuarkusTest application: give them values
                c.put("test.sample-count", "3");
                c.put("test.dead-pacs-counter", "unused");
                return c;
            } catch (Exception e) {
                stop();
                throw new IllegalStateException("cannot start the secure stack", e);
            }
        }

        @Override
        public void stop() {
            if (https != null) {
                https.close();
            }
            if (broker != null) {
                broker.close();
            }
            if (orthanc != null) {
                orthanc.close();
            }
            if (dir != null) {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (java.io.IOException ignored) {
                    // a temporary folder of test keys: the OS cleans /tmp anyway
                }
            }
        }
    }
}
