package io.scanenhancer.config;

import io.scanenhancer.messaging.KafkaSettings;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pipeline.PipelineSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The shipped application.properties with an environment, mapped as {@code serve} maps it: which Kafka security
 * settings reach the clients, and that the settings the demo and the tests start from
 * ({@link PipelineSettings#defaults}) are exactly what {@code serve} runs with.
 */
class PipelineSettingsFactoryTest {
    private static SmallRyeConfig config(Map<String, String> env) throws Exception {
        // Quarkus reads durations as "5s" (its DurationConverter), plain SmallRye only as "PT5S"
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withMapping(ServiceConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new EnvConfigSource(env, 300),
                        new PropertiesConfigSource(PipelineSettingsFactoryTest.class.getResource("/application.properties"), 250))
                .build();
    }

    @Test
    void plaintextWhenTheEnvironmentSetsNothing() throws Exception {
        assertEquals(new KafkaSettings("127.0.0.1:9092", Map.of("security.protocol", "PLAINTEXT", "ssl.truststore.type", "PKCS12")),
                PipelineSettingsFactory.kafka(config(Map.of())));
    }

    @Test
    void scramOverTlsFromTheEnvironment() throws Exception {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";";
        KafkaSettings s = PipelineSettingsFactory.kafka(config(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/trust.p12", "KAFKA_SSL_TRUSTSTORE_PASSWORD", "tp",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "KAFKA_SASL_JAAS_CONFIG", jaas, "KAFKA_BOOTSTRAP_SERVERS", "kafka:9093")));
        assertEquals(Map.of("security.protocol", "SASL_SSL", "ssl.truststore.location", "/etc/kafka/trust.p12",
                "ssl.truststore.password", "tp", "ssl.truststore.type", "PKCS12", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", jaas), s.security());
        assertEquals("kafka:9093", s.bootstrapServers());
    }

    @Test
    void theShippedConfigurationIsWhatTheDemoAndTheTestsStartFrom() throws Exception {
        SmallRyeConfig config = config(Map.of());
        PipelineSettings serve = PipelineSettingsFactory.from(config.getConfigMapping(ServiceConfig.class), config);
        // the one difference: serve is a static group member by default, the demo's and the tests' pipelines are not
        assertEquals(PipelineSettings.defaults(serve.kafka()).withPacs(serve.pacs()).withInstanceId(serve.instanceId()), serve);
        assertEquals(2, serve.pacs().size(), "orthanc and orthanc-dimse: " + serve.pacs());
    }

    @Test
    void staticMembershipByDefaultUnderTheHostNameAndHttpPortOverriddenOrOff() throws Exception {
        String host = GroupInstanceId.hostName();
        assertEquals(host + "-8080", settings(Map.of()).instanceId());
        // two processes on one host cannot listen on one port, so they never share an id (a second member with the
        // same id would fence the first); a restarted one, on its port again, comes back as the same member
        assertEquals(host + "-9001", settings(Map.of("HTTP_PORT", "9001")).instanceId());
        assertEquals("scan-enhancer-7c9f-x2k4p", settings(Map.of("ENHANCER_CONSUMER_INSTANCE_ID", "scan-enhancer-7c9f-x2k4p")).instanceId());
        assertNull(settings(Map.of("ENHANCER_CONSUMER_STATIC_MEMBERSHIP", "false")).instanceId(), "dynamic membership");
        assertNull(settings(Map.of("ENHANCER_CONSUMER_STATIC_MEMBERSHIP", "false", "ENHANCER_CONSUMER_INSTANCE_ID", "x")).instanceId());

        assertNull(GroupInstanceId.resolve(true, Optional.empty(), "h", 0), "a random port gives no stable id");
        assertEquals("node_1.example.org-8080", GroupInstanceId.resolve(true, Optional.empty(), "node_1.example.org", 8080));
        assertEquals("a-b-8080", GroupInstanceId.resolve(true, Optional.empty(), "a b", 8080), "only Kafka's legal characters");
        assertEquals(249, GroupInstanceId.resolve(true, Optional.empty(), "h".repeat(300), 8080).length());
    }

    private static PipelineSettings settings(Map<String, String> env) throws Exception {
        SmallRyeConfig config = config(env);
        return PipelineSettingsFactory.from(config.getConfigMapping(ServiceConfig.class), config);
    }

    @Test
    void settingsComeFromTheEnvironment() throws Exception {
        SmallRyeConfig config = config(Map.of("ENHANCER_PACS_CALLS_FIND_TRIES", "5", "ENHANCER_PACS_CALLS_STORE_TIMEOUT", "90s",
                "ENHANCER_CONSUMER_MAX_ATTEMPTS", "7", "ENHANCER_TOPICS_REQUESTS", "site.requested",
                "ENHANCER_TOPICS_DEAD_LETTERS", "site.dlq"));
        PipelineSettings s = PipelineSettingsFactory.from(config.getConfigMapping(ServiceConfig.class), config);
        assertEquals(5, s.pacsRetry().find().tries());
        assertEquals(Duration.ofSeconds(90), s.pacsRetry().store().timeout());
        assertEquals(7, s.consumer().maxAttempts());
        assertEquals(0, s.model().memoryBudgetBytes(), "unset: derived from the memory limit when the enhancer opens");
        assertEquals(3L << 30, settings(Map.of("ENHANCER_MEMORY_BUDGET", "3G")).model().memoryBudgetBytes());
        assertEquals(1536L << 20, settings(Map.of("ENHANCER_MEMORY_BUDGET", "1536M")).model().memoryBudgetBytes());
        // topic names are not repeated in application.properties: the environment still reaches them
        assertEquals(new Topics("site.requested", Topics.RESULTS, "site.dlq", Topics.PROGRESS), s.topics());
    }
}
