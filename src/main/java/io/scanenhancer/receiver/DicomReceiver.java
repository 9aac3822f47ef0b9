package io.scanenhancer.receiver;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.scanenhancer.api.RequestPublisher;
import io.scanenhancer.audit.AuditParticipant;
import io.scanenhancer.config.ServiceConfig;
import io.scanenhancer.messaging.StudyRequest;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.UnknownPacsException;
import io.scanenhancer.service.EnhancerService;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The receiver as the service runs it ({@code enhancer.receiver.*}): the Storage SCP and the STOW-RS endpoint feed one
 * {@link InstanceIntake}; a scheduler publishes stable studies through the REST API's {@link RequestPublisher}, so a
 * pushed study becomes the same request a REST caller would have queued. Off unless {@code enhancer.receiver.enabled}.
 */
@Startup
@ApplicationScoped
public class DicomReceiver {
    private static final Logger LOG = Logger.getLogger(DicomReceiver.class);

    @Inject
    ServiceConfig config;
    @Inject
    EnhancerService service;
    @Inject
    RequestPublisher publisher;
    @Inject
    MeterRegistry meters;

    private StudyStabilityTracker tracker;
    private InstanceIntake intake;
    private StorageScp scp;
    private ScheduledExecutorService scheduler;

    @PostConstruct
    void start() {
        ServiceConfig.Receiver rx = config.receiver();
        if (!rx.enabled()) {
            return;
        }
        validate(rx);
        List<RoutingRule> rules = RoutingRules.from(rx.rules(), service.registry().all().keySet());
        Counter unrouted = Counter.builder(StudyRouter.UNROUTED)
                .description("Stable received studies none of whose series matched a routing rule (not enhanced)")
                .register(meters);
        StudyRouter router = new StudyRouter(rules, rx.targetPacs().orElse(null), this::queue, unrouted);
        Path stateDir = rx.stateDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "scan-enhancer-receiver"));
        tracker = new StudyStabilityTracker(new PendingStudyStore(stateDir), router, Clock.systemUTC(),
                rx.stableAge(), rx.remember());
        Pacs forwardTo = rx.forwardTo().map(this::pacs).orElse(null);
        intake = new InstanceIntake(tracker, forwardTo);
        if (rx.port() > 0) {
            try {
                scp = new StorageScp(rx.bindHost(), rx.port(), rx.aeTitle(), rx.callingAe(), intake, service.audit());
            } catch (IOException e) {
                throw new UncheckedIOException("receiver: cannot listen on " + rx.bindHost() + ":" + rx.port(), e);
            }
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "receiver-stable-studies");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(10, rx.checkInterval().toMillis());
        scheduler.scheduleWithFixedDelay(this::publishStable, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("receiver: on; stable age %s, state in %s, STOW-RS source %s, target %s, forward-to %s, routing rules %s",
                rx.stableAge(), stateDir, rx.stowSourcePacs().orElse("(STOW-RS off)"), rx.targetPacs().orElse("(the source)"),
                rx.forwardTo().orElse("(none)"), rules.isEmpty() ? "(none: every series)" : RoutingRules.names(rules));
    }

    /** Every PACS name the receiver configuration uses must be a configured PACS: fail at start-up, not per study. */
    private void validate(ServiceConfig.Receiver rx) {
        if (rx.aeTitle().isBlank() || rx.aeTitle().length() > 16) {
            throw new IllegalStateException("enhancer.receiver.ae-title must be 1 to 16 characters, not '" + rx.aeTitle() + "'");
        }
        if (rx.port() > 0 && rx.callingAe().isEmpty()) {
            throw new IllegalStateException("enhancer.receiver.calling-ae.<AE title>=<PACS name> is missing: "
                    + "the Storage SCP would reject every sender");
        }
        rx.callingAe().forEach((ae, pacs) -> pacs("enhancer.receiver.calling-ae." + ae, pacs));
        rx.stowSourcePacs().ifPresent(p -> pacs("enhancer.receiver.stow-source-pacs", p));
        rx.targetPacs().ifPresent(p -> pacs("enhancer.receiver.target-pacs", p));
        rx.forwardTo().ifPresent(p -> pacs("enhancer.receiver.forward-to", p));
    }

    private void pacs(String key, String name) {
        try {
            service.registry().get(name);
        } catch (UnknownPacsException e) {
            throw new IllegalStateException(key + ": " + e.getMessage(), e);
        }
    }

    private Pacs pacs(String name) {
        try {
            return service.registry().get(name);
        } catch (UnknownPacsException e) {
            throw new IllegalStateException(e);
        }
    }

    private void publishStable() {
        try {
            tracker.publishStable();
        } catch (RuntimeException e) {
            LOG.errorf("receiver: checking pending studies failed: %s", e.getMessage());
        }
    }

    private void queue(StudyRequest request) throws Exception {
        try {
            // the sender's mapped PACS stands for the requestor: it pushed the study
            publisher.queue(request, AuditParticipant.of(request.sourcePacs(), null), "receiver");
        } catch (RequestPublisher.RefusedException e) {
            if (e.status() == Response.Status.CONFLICT) {
                return; // the request id is derived from the study's round: this round's request is out already
            }
            if (e.status() == Response.Status.BAD_REQUEST) {
                // would be refused at every try: dropped with the reason rather than tried for ever
                LOG.errorf("receiver: request %s for study %s refused, not tried again: %s", request.requestId(),
                        request.studyInstanceUid(), e.getMessage());
                return;
            }
            throw e;
        }
    }

    boolean enabled() {
        return tracker != null;
    }

    /** For STOW-RS; empty when the receiver is off or STOW-RS has no source PACS configured. */
    Optional<String> stowSourcePacs() {
        return enabled() ? config.receiver().stowSourcePacs() : Optional.empty();
    }

    InstanceIntake intake() {
        return intake;
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (scp != null) {
            scp.close();
        }
    }
}
