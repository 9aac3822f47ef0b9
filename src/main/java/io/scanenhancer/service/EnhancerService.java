package io.scanenhancer.service;

import io.scanenhancer.config.PacsSettingsFactory;
import io.scanenhancer.config.ServiceConfig;
import io.scanenhancer.metrics.CountingEnhancer;
import io.scanenhancer.metrics.ServiceMetrics;

import io.scanenhancer.job.SynthesizeStudyJob;
import io.scanenhancer.synthesis.StudySynthesizer;
import io.quarkus.runtime.Startup;
import io.scanenhancer.messaging.EventJson;
import io.scanenhancer.messaging.StudyRequestConsumer;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.job.EnhanceStudyJob;
import io.scanenhancer.job.EnhancerChoice;
import io.scanenhancer.pacs.PacsRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The running service: configured PACS, the enhancer, and the request consumer on its own thread. */
@Startup
@ApplicationScoped
public class EnhancerService {
    private static final Logger LOG = Logger.getLogger(EnhancerService.class);

    @Inject
    ServiceConfig config;
    @Inject
    GuardedPacsCalls guard;
    @Inject
    ServiceMetrics metrics;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private PacsRegistry plainRegistry;
    private PacsRegistry registry;
    private EnhancerChoice enhancer;
    private StudyRequestConsumer consumer;
    private SynthesizeStudyJob synthesis;

    @PostConstruct
    void start() {
        plainRegistry = PacsRegistry.of(PacsSettingsFactory.from(config.pacs()));
        registry = plainRegistry.decorated(p -> new GuardedPacs(p, guard));
        enhancer = EnhancerChoice.open(config.model().kind(), config.model().dir().orElse(null),
                config.model().fallBackToBicubic(), config.batch().max());
        if (enhancer.note() != null) {
            LOG.warn(enhancer.note());
        }
        metrics.modelFellBack(enhancer.note() != null);
        LOG.infof("enhancer %s %s, PACS %s, consuming %s from %s", enhancer.enhancer().modelId(),
                enhancer.enhancer().modelVersion(), registry.all().keySet(), config.topics().requests(), bootstrapServers);
        if (config.consumer().enabled()) {
            Topics topics = new Topics(config.topics().requests(), config.topics().results(), config.topics().deadLetters());
            StudyRequestConsumer.Options options = new StudyRequestConsumer.Options(bootstrapServers,
                    config.consumer().groupId(), topics, config.consumer().maxAttempts(), config.consumer().retryBackoff(),
                    config.consumer().retryBackoffMax(), config.consumer().maxPollInterval());
            EnhanceStudyJob job = new EnhanceStudyJob(registry, new CountingEnhancer(enhancer.enhancer(),
                    metrics::fallbackFrames), config.uidRoot().orElse(null), config.batch().size());
            java.util.Map<String, Object> kafka = new java.util.HashMap<>();
            kafka.put(org.apache.kafka.clients.consumer.ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                    (int) config.consumer().sessionTimeout().toMillis());
            config.consumer().instanceId().ifPresent(id ->
                    kafka.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
            ServiceConfig.Synthesis s = config.synthesis();
            synthesis = new SynthesizeStudyJob(registry, () -> openSynthesizer(s));
            consumer = new StudyRequestConsumer(options, job, synthesis, EventJson.mapper()).withListener(metrics)
                    .withConsumerSettings(kafka).withSecuritySettings(kafkaSecurity())
                    .publishProgressTo(config.topics().progress())
                    .withShutdownGrace(config.consumer().shutdownGrace()).start();
        }
    }

    private StudySynthesizer openSynthesizer(ServiceConfig.Synthesis s) {
        try {
            return StudySynthesizer.open(s.modelDir(), s.trainingData(), s.memorisationThreshold(), config.uidRoot().orElse(null));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @PreDestroy
    void stop() {
        if (consumer != null) {
            consumer.close();
        }
        if (synthesis != null) {
            synthesis.close();
        }
        if (enhancer != null) {
            enhancer.enhancer().close();
        }
    }

    /** The PACS without retries: health checks want the answer of one try. */
    public PacsRegistry plainRegistry() {
        return plainRegistry;
    }

    public EnhancerChoice enhancerChoice() {
        return enhancer;
    }

    /** The PACS as jobs reach them (with retries); the REST API checks names and renders previews through it. */
    public PacsRegistry registry() {
        return registry;
    }

    public StudyRequestConsumer consumer() {
        return consumer;
    }

    /** security.protocol, ssl.*, sasl.* from configuration; empty for a plaintext broker. */
    public java.util.Map<String, Object> kafkaSecurity() {
        return KafkaSecurity.from(org.eclipse.microprofile.config.ConfigProvider.getConfig());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }
}
