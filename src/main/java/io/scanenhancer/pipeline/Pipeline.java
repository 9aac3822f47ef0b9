package io.scanenhancer.pipeline;

import io.scanenhancer.audit.AuditParticipant;
import io.scanenhancer.audit.AuditTrail;
import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.job.EnhanceStudyJob;
import io.scanenhancer.job.EnhancerChoice;
import io.scanenhancer.job.SynthesizeStudyJob;
import io.scanenhancer.messaging.EventJson;
import io.scanenhancer.messaging.KafkaClients;
import io.scanenhancer.messaging.ProgressPublisher;
import io.scanenhancer.messaging.RequestDispatcher;
import io.scanenhancer.messaging.ResultTransaction;
import io.scanenhancer.messaging.StudyRequestConsumer;
import io.scanenhancer.pacs.AuditedPacs;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsRegistry;
import io.scanenhancer.pacs.RetryingPacs;
import io.scanenhancer.pacs.TracedPacs;
import io.scanenhancer.spool.PatientDataSpool;
import io.scanenhancer.synthesis.StudySynthesizer;
import io.scanenhancer.tracing.Tracing;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.UnaryOperator;

/**
 * The one assembly of the request pipeline: PACS clients under the retry policy, the enhancer, the jobs, and the
 * request consumer with its result transaction and progress events. {@code serve} (EnhancerService), the demo, the
 * local stack and every broker-backed test build it here from {@link PipelineSettings}, so what they run is what
 * production runs; a test that finds a second construction path fails (SingleAssemblyTest).
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Pipeline.class);
    private final PipelineSettings settings;
    private final KafkaClients kafka;
    private final KafkaClients.Factory clients;
    private final PipelineListener listener;
    private final AuditTrail audit;
    private final Tracing tracing;
    private final ExecutorService pacsCalls = RetryingPacs.callThreads();
    private final PacsRegistry plainRegistry;
    private final PacsRegistry registry;
    private final EnhancerChoice enhancer;
    private final boolean ownsEnhancer;
    private final EnhanceStudyJob enhanceJob;
    private final SynthesizeStudyJob synthesisJob;
    private ProgressPublisher progress;
    private StudyRequestConsumer consumer;

    private Pipeline(Builder b) {
        settings = b.settings;
        // A process that died mid-study left patient data in its spool folder: remove it before taking new work.
        int swept = PatientDataSpool.sweepAbandoned();
        if (swept > 0) {
            LOG.infof("removed %d spool folder(s) left by processes that are no longer running, under %s", swept,
                    PatientDataSpool.root());
        }
        kafka = new KafkaClients(settings.kafka());
        clients = b.clients;
        listener = b.listener;
        audit = b.audit;
        tracing = b.tracing;
        Map<String, Pacs> plain = new LinkedHashMap<>(PacsRegistry.of(settings.pacs()).all());
        b.extraPacs.forEach(p -> plain.put(p.name(), p));
        plain.replaceAll((name, pacs) -> b.aroundPacs.apply(pacs));
        plainRegistry = new PacsRegistry(plain);
        Map<String, AuditParticipant> peers = new LinkedHashMap<>();
        settings.pacs().forEach(p -> peers.put(p.name(), AuditedPacs.participant(p)));
        // each try its own client span; the plain registry (health checks) stays untraced, probes would flood a trace store.
        // Audited outside the retries: one record per call with its final outcome
        registry = plainRegistry.decorated(p -> new AuditedPacs(new RetryingPacs(new TracedPacs(p, tracing), settings.pacsRetry(),
                pacsCalls), peers.getOrDefault(p.name(), AuditParticipant.of(p.name(), null)), audit));
        PipelineSettings.Model m = settings.model();
        ownsEnhancer = b.enhancer == null;
        enhancer = ownsEnhancer ? EnhancerChoice.open(m.kind(), m.dir(), m.fallBackToBicubic(), m.maxBatch(), m.memoryBudgetBytes())
                : new EnhancerChoice(b.enhancer, null);
        listener.modelFellBack(enhancer.note() != null);
        enhanceJob = new EnhanceStudyJob(registry, new CountingEnhancer(enhancer.enhancer(), listener::fallbackFrames),
                settings.uidRoot(), m.batchSize(), tracing);
        PipelineSettings.Synthesis s = settings.synthesis();
        synthesisJob = new SynthesizeStudyJob(registry, () -> {
            try {
                return StudySynthesizer.open(s.modelDir(), s.trainingData(), s.memorisationThreshold(), settings.uidRoot());
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    public static Builder builder(PipelineSettings settings) {
        return new Builder(settings);
    }

    /** Opens the pipeline and starts consuming requests. */
    public static Pipeline start(PipelineSettings settings) {
        return builder(settings).start();
    }

    /** Starts the request consumer on its own thread (once; a second call does nothing). */
    public synchronized Pipeline startConsumer() {
        if (consumer == null) {
            progress = new ProgressPublisher(() -> clients.producer(kafka.progressProducer()), settings.topics().progress(),
                    EventJson.mapper());
            RequestDispatcher dispatcher = new RequestDispatcher(enhanceJob, synthesisJob, settings.topics(),
                    EventJson.mapper(), settings.consumer(), progress, listener, tracing, audit);
            ResultTransaction transaction = new ResultTransaction(
                    () -> clients.producer(kafka.resultProducer(settings.groupId(), settings.instanceId())));
            consumer = new StudyRequestConsumer(
                    () -> clients.consumer(kafka.requestConsumer(settings.groupId(), settings.instanceId(), settings.consumer())),
                    transaction, dispatcher, settings.topics().requests(), settings.consumer(), listener).start();
        }
        return this;
    }

    public PipelineSettings settings() {
        return settings;
    }

    /** Properties for any further Kafka client, with this pipeline's broker and security settings. */
    public KafkaClients kafka() {
        return kafka;
    }

    /** The PACS as jobs reach them: every call under the retry policy. */
    public PacsRegistry registry() {
        return registry;
    }

    /** The PACS clients without the policy: a health check wants the answer of one plain call. */
    public PacsRegistry plainRegistry() {
        return plainRegistry;
    }

    public EnhancerChoice enhancerChoice() {
        return enhancer;
    }

    /** Where the pipeline's audit records go ({@link AuditTrail#OFF} unless the builder was given one). */
    public AuditTrail audit() {
        return audit;
    }

    /** The request consumer; null until {@link #startConsumer()}. */
    public synchronized StudyRequestConsumer consumer() {
        return consumer;
    }

    /** Stops consuming (the study in progress gets the shutdown grace), then closes what the pipeline opened. */
    @Override
    public void close() {
        StudyRequestConsumer c;
        synchronized (this) {
            c = consumer;
        }
        try {
            if (c != null) {
                c.close();
            }
        } finally {
            if (progress != null) {
                progress.close();
            }
            synthesisJob.close();
            if (ownsEnhancer) {
                enhancer.enhancer().close();
            }
            pacsCalls.shutdownNow();
        }
    }

    /** Options beyond the settings, for tests and tools; {@code serve} uses none but the listener. */
    public static final class Builder {
        private final PipelineSettings settings;
        private PipelineListener listener = PipelineListener.NONE;
        private AuditTrail audit = AuditTrail.OFF;
        private Tracing tracing = Tracing.off();
        private KafkaClients.Factory clients = KafkaClients.Factory.REAL;
        private Enhancer enhancer;
        private UnaryOperator<Pacs> aroundPacs = UnaryOperator.identity();
        private final List<Pacs> extraPacs = new ArrayList<>();

        private Builder(PipelineSettings settings) {
            this.settings = settings;
        }

        /** Metrics hooks (the service's meters; a test's probes). */
        public Builder listener(PipelineListener l) {
            this.listener = l;
            return this;
        }

        /** The audit trail of retrieves, stores and requests; its owner closes it. */
        public Builder audit(AuditTrail trail) {
            this.audit = trail;
            return this;
        }

        /** Spans of each request (serve: Quarkus's OpenTelemetry; a test: an in-memory SDK). Default: none, context passed on. */
        public Builder tracing(Tracing t) {
            this.tracing = t;
            return this;
        }

        /** Where Kafka clients come from: a fast test hands out Kafka's MockConsumer and MockProducer. */
        public Builder clients(KafkaClients.Factory factory) {
            this.clients = factory;
            return this;
        }

        /** An open enhancer instead of the settings' kind (a test's slowed one); its owner closes it. */
        public Builder enhancer(Enhancer e) {
            this.enhancer = e;
            return this;
        }

        /** Wraps each PACS client inside the retry policy, e.g. to time a fault in a test. */
        public Builder aroundPacs(UnaryOperator<Pacs> wrapper) {
            this.aroundPacs = wrapper;
            return this;
        }

        /** A PACS client made elsewhere (a test's in-memory PACS), under the retry policy like the configured ones. */
        public Builder addPacs(Pacs pacs) {
            extraPacs.add(pacs);
            return this;
        }

        /** Opens PACS clients, enhancer and jobs; consuming starts with {@link Pipeline#startConsumer()}. */
        public Pipeline open() {
            return new Pipeline(this);
        }

        public Pipeline start() {
            return open().startConsumer();
        }
    }
}
