package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.LocalKafkaBroker;
import io.scanenhancer.harness.LocalOrthanc;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.messaging.StudyRequestConsumer;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.messaging.KafkaSettings;
import io.scanenhancer.pipeline.Pipeline;
import io.scanenhancer.pipeline.PipelineSettings;
import io.scanenhancer.pacs.PacsSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request consumer against a broker that has no plaintext client listener: TLS only, and SASL_SSL with
 * SCRAM-SHA-512, with a CA, certificate and user this test makes. Plaintext clients and a wrong password are refused.
 */
class KafkaTlsIT {
    private static final String PACS = "tls-test-pacs";
    private static final String USER = "enhancer";

    @TempDir
    static Path temp;
    static TestCa ca;
    static String scramPassword;
    static LocalKafkaBroker broker;
    static LocalOrthanc orthanc;
    static PacsSettings pacs;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCa.make(temp);
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        scramPassword = HexFormat.of().formatHex(secret);
        long t0 = System.nanoTime();
        broker = LocalKafkaBroker.startSecure(new LocalKafkaBroker.Tls(ca.serverKeyStore, ca.password, ca.trustStore,
                ca.password, Map.of(USER, scramPassword)));
        System.out.printf("secure broker (SSL + SASL_SSL/SCRAM-SHA-512) ready in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        orthanc = LocalOrthanc.start();
        pacs = new PacsSettings.DicomWeb(PACS, URI.create(orthanc.dicomWebUrl()), orthanc.user(), orthanc.password(), null,
                Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        if (orthanc != null) {
            orthanc.close();
        }
    }

    private static Map<String, Object> ssl() {
        Map<String, Object> s = new HashMap<>();
        s.put("security.protocol", "SSL");
        s.put("ssl.truststore.location", ca.trustStore.toString());
        s.put("ssl.truststore.password", ca.password);
        s.put("ssl.truststore.type", "PKCS12");
        return s;
    }

    private static Map<String, Object> scram(String password) {
        Map<String, Object> s = ssl();
        s.put("security.protocol", "SASL_SSL");
        s.put("sasl.mechanism", "SCRAM-SHA-512");
        s.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + USER + "\" password=\"" + password + "\";");
        return s;
    }

    @Test
    void enhancesAStudyOverTls() throws Exception {
        roundTrip(broker.bootstrapServers(), ssl(), "tls");
    }

    @Test
    void enhancesAStudyOverSaslSslWithScram() throws Exception {
        roundTrip(broker.saslBootstrapServers(), scram(scramPassword), "scram");
    }

    private void roundTrip(String bootstrap, Map<String, Object> security, String name) throws Exception {
        SeriesFixture series = SeriesFixture.write(temp.resolve(name), 3);
        E2e.uploadViaRest(orthanc, series.files());
        Topics topics = new Topics(name + ".requested", name + ".enhanced", name + ".dlq");
        PipelineSettings settings = PipelineSettings.defaults(new KafkaSettings(bootstrap, security)).withGroup(name)
                .withTopics(topics).withPacs(List.of(pacs)).withEnhancer(Enhancers.BICUBIC).withAttempts(3, Duration.ofSeconds(1));
        try (Pipeline pipeline = Pipeline.start(settings)) {
            StudyRequestConsumer consumer = pipeline.consumer();
            String requestId = UUID.randomUUID().toString();
            long t0 = System.nanoTime();
            sendOnceAuthenticated(bootstrap, security, topics.requests(), E2e.request(requestId, series.studyInstanceUid(), PACS, PACS));
            JsonNode result = E2e.JSON.readTree(TopicReader.await(bootstrap, security, topics.results(),
                    r -> new String(r.value(), StandardCharsets.UTF_8).contains(requestId), E2e.RESULT_TIMEOUT)
                    .orElseThrow(() -> new AssertionError("no result event over " + name)).value());
            System.out.printf("%s: request to result in %d ms%n", name, (System.nanoTime() - t0) / 1_000_000);
            E2e.assertDerivedSeries(orthanc, series, result);
            assertEquals(3, E2e.stored(result));
            assertEquals(1, consumer.counts().succeeded());
            assertEquals(0, consumer.counts().deadLettered());
            assertTrue(consumer.alive());
        }
    }

    @Test
    void plaintextClientsAreRefusedOnBothListeners() {
        for (String bootstrap : List.of(broker.bootstrapServers(), broker.saslBootstrapServers())) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> send(bootstrap, Map.of("max.block.ms", 5000, "delivery.timeout.ms", 6000,
                            "request.timeout.ms", 5000), "plain.requested", "{}"), bootstrap);
            assertInstanceOf(org.apache.kafka.common.errors.TimeoutException.class, e.getCause(),
                    "a plaintext client never gets metadata from a TLS port: " + e.getCause());
        }
    }

    @Test
    void tlsWithoutSaslIsRefusedOnTheScramListener() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> send(broker.saslBootstrapServers(),
                withShortTimeouts(ssl()), "nosasl.requested", "{}"));
        assertInstanceOf(org.apache.kafka.common.errors.TimeoutException.class, e.getCause(), e.getCause().toString());
    }

    @Test
    void aWrongScramPasswordIsRefused() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> send(broker.saslBootstrapServers(),
                withShortTimeouts(scram("not-the-password")), "wrong.requested", "{}"));
        assertInstanceOf(SaslAuthenticationException.class, e.getCause(), e.getCause().toString());
        assertFalse(e.getCause().getMessage().contains(scramPassword), "the error does not quote the secret");
    }

    private static Map<String, Object> withShortTimeouts(Map<String, Object> s) {
        s.put("max.block.ms", 10000);
        s.put("delivery.timeout.ms", 11000);
        s.put("request.timeout.ms", 10000);
        return s;
    }

    private static void send(String bootstrap, Map<String, Object> security, String topic, String value) throws Exception {
        Map<String, Object> p = new HashMap<>(security);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, "k", value.getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /**
     * A SCRAM user written at format time is known once the broker has loaded its metadata, which can be a moment
     * after the listener accepts connections: an authentication failure is retried for a bounded time.
     */
    private static void sendOnceAuthenticated(String bootstrap, Map<String, Object> security, String topic, String value) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                send(bootstrap, security, topic, value);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.SaslAuthenticationException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }
}
