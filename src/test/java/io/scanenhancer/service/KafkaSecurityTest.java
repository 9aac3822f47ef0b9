package io.scanenhancer.service;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shipped application.properties with an environment: which Kafka security settings reach the clients. */
class KafkaSecurityTest {
    private static SmallRyeConfig config(Map<String, String> env) throws Exception {
        return new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new EnvConfigSource(env, 300),
                        new PropertiesConfigSource(KafkaSecurityTest.class.getResource("/application.properties"), 250))
                .build();
    }

    @Test
    void plaintextWhenTheEnvironmentSetsNothing() throws Exception {
        assertEquals(Map.of("security.protocol", "PLAINTEXT", "ssl.truststore.type", "PKCS12"),
                KafkaSecurity.from(config(Map.of())));
    }

    @Test
    void scramOverTlsFromTheEnvironment() throws Exception {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";";
        Map<String, Object> s = KafkaSecurity.from(config(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/trust.p12", "KAFKA_SSL_TRUSTSTORE_PASSWORD", "tp",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "KAFKA_SASL_JAAS_CONFIG", jaas)));
        assertEquals(Map.of("security.protocol", "SASL_SSL", "ssl.truststore.location", "/etc/kafka/trust.p12",
                "ssl.truststore.password", "tp", "ssl.truststore.type", "PKCS12", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", jaas), s);
    }
}
