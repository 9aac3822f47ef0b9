package io.scanenhancer.audit;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's audit trail: the events of the IHE ATNA vocabulary this service has (study read, objects stored,
 * request accepted or refused, state-changing calls, refused credentials, start and stop) as DICOM audit messages,
 * handed to the configured sinks on one background thread. Auditing never holds up or fails a study: a record that
 * cannot be sent is counted and logged (without its content), and when the queue is full new records are dropped
 * and counted. {@link #OFF} records nothing.
 */
public final class AuditTrail implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    private static final int QUEUE = 10_000;
    public static final AuditTrail OFF = new AuditTrail(AuditSettings.off(), List.of());

    private final AuditSettings settings;
    private final List<AuditSink> sinks;
    private final SyslogFormat format;
    private final AuditParticipant self;
    private final ThreadPoolExecutor sender;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private AuditTrail(AuditSettings settings, List<AuditSink> sinks) {
        this.settings = settings;
        this.sinks = List.copyOf(sinks);
        String host = hostName();
        String pid = Long.toString(ProcessHandle.current().pid());
        this.format = new SyslogFormat(host, settings.sourceId(), pid);
        this.self = new AuditParticipant(settings.sourceId(), pid, false, host, AuditCode.APPLICATION);
        this.sender = sinks.isEmpty() ? null : new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "audit-sender");
                    t.setDaemon(true);
                    return t;
                }, (r, pool) -> dropped.incrementAndGet());
    }

    public static AuditTrail open(AuditSettings settings) {
        List<AuditSink> sinks = new ArrayList<>();
        if (settings.syslog() != null) {
            sinks.add(new SyslogSender(settings.syslog()));
        }
        if (settings.file() != null) {
            sinks.add(new AuditFile(settings.file()));
        }
        AuditTrail trail = new AuditTrail(settings, sinks);
        if (!sinks.isEmpty()) {
            LOG.infof("audit trail to %s", sinks.stream().map(AuditSink::describe).toList());
        }
        return trail;
    }

    public boolean enabled() {
        return sender != null;
    }

    /** This service as an active participant: UserID = the audit source id, AlternativeUserID = its process id. */
    public AuditParticipant self(AuditCode role, boolean requestor) {
        return self.as(role, requestor);
    }

    /** Records not sent since start: the queue was full, or a sink failed. */
    public long lost() {
        return dropped.get() + failed.get();
    }

    /** Stamps the message with now and this audit source, and queues it for every sink. */
    public void record(AuditMessage.Builder message) {
        if (sender == null) {
            return;
        }
        AuditMessage m = message.build(Instant.now(), new AuditMessage.Source(settings.sourceId(), settings.enterpriseSiteId()));
        sender.execute(() -> {
            byte[] bytes = format.message(m);
            for (AuditSink sink : sinks) {
                try {
                    sink.send(bytes);
                } catch (IOException | RuntimeException e) {
                    if (failed.incrementAndGet() % 100 == 1) { // not once per record while a collector is away
                        LOG.warnf("audit record not sent to %s (%d lost so far): %s", sink.describe(), lost(), e.getMessage());
                    }
                }
            }
        });
    }

    // ---- the events of this service (PS3.15 A.5.3) ----

    /** DICOM Instances Transferred, read: a study (or series of it) retrieved from a PACS by this service. */
    public void studyRead(AuditParticipant pacs, String studyUid, String sopClassUid, int instances, String failure) {
        record(outcome(AuditMessage.of(AuditCode.INSTANCES_TRANSFERRED, 'R'), failure, AuditMessage.Outcome.SERIOUS_FAILURE)
                .participant(pacs.as(AuditCode.SOURCE, false))
                .participant(self(AuditCode.DESTINATION, true))
                .study(studyUid, sopClassUid, instances));
    }

    /** DICOM Instances Transferred, create: objects this service stored into a PACS (one record per store call). */
    public void objectsStored(AuditParticipant pacs, String studyUid, String sopClassUid, int instances, String failure) {
        record(outcome(AuditMessage.of(AuditCode.INSTANCES_TRANSFERRED, 'C'), failure, AuditMessage.Outcome.SERIOUS_FAILURE)
                .participant(self(AuditCode.SOURCE, true))
                .participant(pacs.as(AuditCode.DESTINATION, false))
                .study(studyUid, sopClassUid, instances));
    }

    /**
     * Order Record, create: a request to work on a study, accepted or (with the error code and reason) refused.
     *
     * @param channel  rest, kafka or receiver, and the request id, e.g. "kafka request 42"
     * @param refusal  null when accepted
     */
    public void request(AuditParticipant requestor, String channel, String studyUid, String refusal) {
        AuditMessage.Builder b = AuditMessage.of(AuditCode.ORDER_RECORD, 'C');
        b.outcome(refusal == null ? AuditMessage.Outcome.SUCCESS : AuditMessage.Outcome.MINOR_FAILURE,
                refusal == null ? channel + " accepted" : channel + " refused: " + refusal);
        record(b.participant(requestor.as(AuditCode.SOURCE, true))
                .participant(self(AuditCode.DESTINATION, false))
                .study(studyUid, null, 0));
    }

    /** Order Record, execute: a state-changing call such as a dead-letter redrive, with the studies it touched. */
    public void stateChanged(AuditParticipant requestor, String what, List<String> studyUids, String failure) {
        AuditMessage.Builder b = AuditMessage.of(AuditCode.ORDER_RECORD, 'E');
        b.outcome(failure == null ? AuditMessage.Outcome.SUCCESS : AuditMessage.Outcome.MINOR_FAILURE,
                failure == null ? what : what + ": " + failure);
        b.participant(requestor.as(AuditCode.APPLICATION_LAUNCHER, true)).participant(self(AuditCode.APPLICATION, false));
        studyUids.stream().distinct().forEach(s -> b.study(s, null, 0));
        record(b);
    }

    /** User Authentication (login) refused: wrong or missing API credentials. */
    public void authenticationRefused(AuditParticipant caller, String reason) {
        record(AuditMessage.of(AuditCode.USER_AUTHENTICATION, 'E').type(AuditCode.LOGIN)
                .outcome(AuditMessage.Outcome.MINOR_FAILURE, reason)
                .participant(caller.as(null, true)).participant(self(AuditCode.APPLICATION, false)));
    }

    /** Security Alert, node authentication: a DICOM association from an unknown calling AE title refused. */
    public void nodeRefused(AuditParticipant caller, String reason) {
        record(AuditMessage.of(AuditCode.SECURITY_ALERT, 'E').type(AuditCode.NODE_AUTHENTICATION)
                .outcome(AuditMessage.Outcome.MINOR_FAILURE, reason)
                .participant(caller.as(null, true)).participant(self(AuditCode.APPLICATION, false)));
    }

    /** Application Activity: the service started or stops. */
    public void applicationActivity(boolean start) {
        record(AuditMessage.of(AuditCode.APPLICATION_ACTIVITY, 'E')
                .type(start ? AuditCode.APPLICATION_START : AuditCode.APPLICATION_STOP)
                .participant(self(AuditCode.APPLICATION, false)));
    }

    private static AuditMessage.Builder outcome(AuditMessage.Builder b, String failure, AuditMessage.Outcome failed) {
        return failure == null ? b : b.outcome(failed, failure);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Sends what is queued (up to 5 s), then closes the sinks. */
    @Override
    public void close() {
        if (sender == null) {
            return;
        }
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sinks.forEach(AuditSink::close);
    }
}
