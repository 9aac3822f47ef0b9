package io.scanenhancer.service;

import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.Startup;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.scanenhancer.audit.AuditTrail;
import io.scanenhancer.config.AuditSettingsFactory;
import io.scanenhancer.config.PipelineSettingsFactory;
import io.scanenhancer.config.ServiceConfig;
import io.scanenhancer.job.EnhancerChoice;
import io.scanenhancer.messaging.KafkaClients;
import io.scanenhancer.messaging.StudyRequestConsumer;
import io.scanenhancer.metrics.ServiceMetrics;
import io.scanenhancer.pacs.PacsRegistry;
import io.scanenhancer.pipeline.Pipeline;
import io.scanenhancer.pipeline.PipelineSettings;
import io.scanenhancer.spool.PatientDataSpool;
import io.scanenhancer.tracing.Tracing;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The Quarkus bootstrap of {@code serve}: the configuration mapped to {@link PipelineSettings}, the {@link Pipeline}
 * built from it (the same assembly the demo and the tests run), the service's meters as its listener.
 */
@Startup
@ApplicationScoped
public class EnhancerService {
    private static final Logger LOG = Logger.getLogger(EnhancerService.class);

    @Inject
    ServiceConfig config;
    @Inject
    ServiceMetrics metrics;
    /** Quarkus's SDK per quarkus.otel.* (README "Tracing"); a no-op one while quarkus.otel.sdk.disabled is true. */
    @Inject
    OpenTelemetry openTelemetry;

    private Pipeline pipeline;
    private AuditTrail audit = AuditTrail.OFF;

    @PostConstruct
    void start() {
        PipelineSettings settings = PipelineSettingsFactory.from(config, ConfigProvider.getConfig());
        config.spoolDir().ifPresent(PatientDataSpool::configure);
        audit = AuditTrail.open(AuditSettingsFactory.from(config.audit()));
        audit.applicationActivity(true);
        pipeline = Pipeline.builder(settings).listener(metrics).audit(audit).tracing(Tracing.of(openTelemetry)).open();
        EnhancerChoice enhancer = pipeline.enhancerChoice();
        if (enhancer.note() != null) {
            LOG.warn(enhancer.note());
        }
        LOG.infof("enhancer %s %s, PACS %s, consuming %s from %s as group %s, %s", enhancer.enhancer().modelId(),
                enhancer.enhancer().modelVersion(), pipeline.registry().all().keySet(), settings.topics().requests(),
                settings.kafka().bootstrapServers(), settings.groupId(), settings.instanceId() == null
                        ? "dynamic member" : "static member " + settings.instanceId());
    }

    /**
     * The consumer joins its group only once the HTTP port is bound: the port is part of the default static member id
     * (config.GroupInstanceId), and a second process started on a taken port must fail before it could join under
     * the id of the process that has it and fence that one out of the group.
     */
    void httpStarted(@ObservesAsync HttpServerStart event) {
        startConsumer();
    }

    void httpsStarted(@ObservesAsync HttpsServerStart event) {
        startConsumer(); // HTTPS only; with both, the second call does nothing
    }

    private void startConsumer() {
        if (config.consumer().enabled()) {
            pipeline.startConsumer();
        }
    }

    @PreDestroy
    void stop() {
        try {
            if (pipeline != null) {
                pipeline.close();
            }
        } finally {
            audit.applicationActivity(false);
            audit.close();
        }
    }

    /** The audit trail ({@code enhancer.audit.*}); the REST API and the receiver record their events here. */
    public AuditTrail audit() {
        return audit;
    }

    public PipelineSettings settings() {
        return pipeline.settings();
    }

    /** Properties for the service's other Kafka clients (REST publisher, job tracker, readiness). */
    public KafkaClients kafkaClients() {
        return pipeline.kafka();
    }

    /** The PACS without retries: health checks want the answer of one try. */
    public PacsRegistry plainRegistry() {
        return pipeline.plainRegistry();
    }

    public EnhancerChoice enhancerChoice() {
        return pipeline.enhancerChoice();
    }

    /** The PACS as jobs reach them (with retries); the REST API checks names and renders previews through it. */
    public PacsRegistry registry() {
        return pipeline.registry();
    }

    /** Null when {@code enhancer.consumer.enabled} is false. */
    public StudyRequestConsumer consumer() {
        return pipeline.consumer();
    }
}
