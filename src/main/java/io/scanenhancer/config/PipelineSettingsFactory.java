package io.scanenhancer.config;

import io.scanenhancer.messaging.ConsumerSettings;
import io.scanenhancer.messaging.KafkaSettings;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pacs.PacsRetryPolicy;
import io.scanenhancer.pipeline.PipelineSettings;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The service's configuration ({@code enhancer.*}, {@code kafka.*}) as the plain settings the pipeline is built from. */
public final class PipelineSettingsFactory {
    private PipelineSettingsFactory() {
    }

    public static PipelineSettings from(ServiceConfig c, Config config) {
        ServiceConfig.Consumer consumer = c.consumer();
        ServiceConfig.PacsCalls calls = c.pacsCalls();
        return new PipelineSettings(kafka(config), consumer.groupId(), GroupInstanceId.of(consumer, config),
                new Topics(c.topics().requests(), c.topics().results(), c.topics().deadLetters(), c.topics().progress()),
                new ConsumerSettings(consumer.maxAttempts(), consumer.retryBackoff(), consumer.retryBackoffMax(),
                        consumer.maxPollInterval(), consumer.sessionTimeout(), consumer.shutdownGrace(),
                        consumer.maxCrashAttempts()),
                PacsSettingsFactory.from(c.pacs()),
                new PacsRetryPolicy(
                        new PacsRetryPolicy.Rule(calls.pingTries(), Duration.ZERO, calls.pingTimeout()),
                        new PacsRetryPolicy.Rule(calls.findTries(), calls.findBackoff(), calls.findTimeout()),
                        new PacsRetryPolicy.Rule(calls.retrieveTries(), calls.retrieveBackoff(), calls.retrieveTimeout()),
                        new PacsRetryPolicy.Rule(calls.storeTries(), calls.storeBackoff(), calls.storeTimeout())),
                new PipelineSettings.Model(c.model().kind(), c.model().dir().orElse(null), c.model().fallBackToBicubic(),
                        c.batch().size(), c.batch().max(),
                        c.memory().budget().map(io.quarkus.runtime.configuration.MemorySize::asLongValue).orElse(0L)),
                c.uidRoot().orElse(null),
                new PipelineSettings.Synthesis(c.synthesis().modelDir(), c.synthesis().trainingData(),
                        c.synthesis().memorisationThreshold()));
    }

    /**
     * {@code kafka.bootstrap.servers} and the security keys set under {@code kafka.} (README "Security: TLS and
     * SASL"), without the prefix; blank values are left out.
     */
    public static KafkaSettings kafka(Config config) {
        Map<String, Object> security = new HashMap<>();
        for (String key : KafkaSettings.SECURITY_KEYS) {
            config.getOptionalValue("kafka." + key, String.class)
                    .filter(v -> !v.isBlank())
                    .ifPresent(v -> security.put(key, v));
        }
        return new KafkaSettings(config.getValue("kafka.bootstrap.servers", String.class), security);
    }
}
