package io.scanenhancer.service;

import org.eclipse.microprofile.config.Config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kafka client security keys the service passes through to its clients, read from configuration (and so from
 * the environment: KAFKA_SECURITY_PROTOCOL, KAFKA_SSL_TRUSTSTORE_LOCATION, KAFKA_SASL_JAAS_CONFIG, ...). An explicit
 * list rather than every kafka.* key, so that a stray property cannot change how offsets are committed.
 */
public final class KafkaSecurity {
    static final List<String> KEYS = List.of(
            "security.protocol",
            "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.type",
            "ssl.keystore.location", "ssl.keystore.password", "ssl.keystore.type", "ssl.key.password",
            "ssl.endpoint.identification.algorithm",
            "sasl.mechanism", "sasl.jaas.config");

    private KafkaSecurity() {
    }

    /** The set keys without the {@code kafka.} prefix, ready for a Kafka client; blank values are left out. */
    public static Map<String, Object> from(Config config) {
        Map<String, Object> settings = new HashMap<>();
        for (String key : KEYS) {
            config.getOptionalValue("kafka." + key, String.class)
                    .filter(v -> !v.isBlank())
                    .ifPresent(v -> settings.put(key, v));
        }
        return settings;
    }
}
