package io.scanenhancer.messaging;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the broker is and how to reach it: bootstrap servers and the client security settings (security.protocol,
 * ssl.*, sasl.*) that every client needs for a broker that requires TLS or SASL. {@link KafkaClients} turns them into
 * the properties of each client.
 *
 * @param security only keys of {@link #SECURITY_KEYS}; empty for a plaintext broker
 */
public record KafkaSettings(String bootstrapServers, Map<String, Object> security) {
    /**
     * The security keys passed through from configuration (and so from the environment: KAFKA_SECURITY_PROTOCOL,
     * KAFKA_SSL_TRUSTSTORE_LOCATION, KAFKA_SASL_JAAS_CONFIG, ...). An explicit list rather than every kafka.* key, so
     * that a stray property cannot change how offsets are committed.
     */
    public static final List<String> SECURITY_KEYS = List.of(
            "security.protocol",
            "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.type",
            "ssl.keystore.location", "ssl.keystore.password", "ssl.keystore.type", "ssl.key.password",
            "ssl.endpoint.identification.algorithm",
            "sasl.mechanism", "sasl.jaas.config");

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        security = Map.copyOf(security);
        for (String key : security.keySet()) {
            if (!SECURITY_KEYS.contains(key)) {
                throw new IllegalArgumentException("not a Kafka security setting: " + key);
            }
        }
    }

    public static KafkaSettings plaintext(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of());
    }
}
