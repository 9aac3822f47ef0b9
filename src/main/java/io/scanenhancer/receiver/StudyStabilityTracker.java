package io.scanenhancer.receiver;

import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Groups received instances by study and sender and publishes one request per study once no instance has arrived for
 * the stable age (Orthanc's StableAge, dcm4chee's settle delay). Every change is saved ({@link PendingStudyStore})
 * before {@link #arrived} returns, that is before the sender is acknowledged; at start-up the saved studies are taken
 * up again and published when stable.
 *
 * <p>Instances that arrive after a study's request: they open a new round, and when the study is stable again one
 * more request is published for the series that received them, only those. A new series is thus requested on its
 * own; a late instance of a requested series requests that series again, and the job's idempotent store adds only the
 * derived instances that are missing. Instances sent again (same SOP Instance UID) change nothing.
 */
final class StudyStabilityTracker {
    private static final Logger LOG = Logger.getLogger(StudyStabilityTracker.class);

    /** Puts one request on the requests topic; throws when it could not (the study stays pending and is tried again). */
    interface RequestSink {
        /** @param study the study as it stands, its {@link PendingStudy#series()} facts included */
        void publish(String requestId, PendingStudy study, List<String> seriesInstanceUids) throws Exception;
    }

    enum Arrival { NEW, ALREADY_SEEN }

    private final PendingStudyStore store;
    private final RequestSink sink;
    private final Clock clock;
    private final Duration stableAge;
    private final Duration remember;
    private final Map<String, PendingStudy> studies = new LinkedHashMap<>();

    StudyStabilityTracker(PendingStudyStore store, RequestSink sink, Clock clock, Duration stableAge, Duration remember) {
        this.store = store;
        this.sink = sink;
        this.clock = clock;
        this.stableAge = stableAge;
        this.remember = remember;
        for (PendingStudy s : store.loadAll()) {
            studies.put(key(s.studyInstanceUid(), s.sourcePacs()), s);
        }
        long pending = studies.values().stream().filter(PendingStudy::pending).count();
        if (!studies.isEmpty()) {
            LOG.infof("receiver: recovered %d studies from %s, %d of them waiting for their request", studies.size(),
                    store.dir(), pending);
        }
    }

    /** Records one received instance durably; the caller acknowledges the sender only after this returned. */
    synchronized Arrival arrived(String study, String series, String sop, String sourcePacs) {
        return arrived(study, series, sop, sourcePacs, new SeriesFacts("", "", "", 0, 0, true, 1));
    }

    /** @param facts the instance's series facts, {@code instances} = 1 */
    synchronized Arrival arrived(String study, String series, String sop, String sourcePacs, SeriesFacts facts) {
        String key = key(study, sourcePacs);
        PendingStudy now = studies.getOrDefault(key, PendingStudy.first(study, sourcePacs));
        if (now.seenInstances().contains(sop)) {
            return Arrival.ALREADY_SEEN;
        }
        PendingStudy next = now.withInstance(series, sop, facts, clock.millis());
        store.save(next);
        studies.put(key, next);
        return Arrival.NEW;
    }

    /**
     * Publishes a request for every study stable for the stable age, and forgets studies requested longer ago than
     * {@code remember}. Called by one scheduler thread; a failed publication is tried again on the next call.
     *
     * @return the number of requests published
     */
    int publishStable() {
        long now = clock.millis();
        List<PendingStudy> due = new ArrayList<>();
        synchronized (this) {
            for (PendingStudy s : List.copyOf(studies.values())) {
                if (s.pending() && now - s.lastArrivalMillis() >= stableAge.toMillis()) {
                    due.add(s);
                } else if (!s.pending() && s.requests() > 0 && now - s.lastRequestMillis() >= remember.toMillis()) {
                    store.delete(s);
                    studies.remove(key(s.studyInstanceUid(), s.sourcePacs()));
                }
            }
        }
        int published = 0;
        for (PendingStudy s : due) {
            String requestId = requestId(s);
            List<String> series = s.seriesToRequest();
            try {
                // outside the lock: arrivals must not wait for the broker
                sink.publish(requestId, s, series);
            } catch (Exception e) {
                LOG.warnf("receiver: request %s for study %s not published, tried again in a moment: %s", requestId,
                        s.studyInstanceUid(), e.getMessage());
                continue;
            }
            published++;
            LOG.infof("receiver: study %s from %s stable for %s: request %s handled for %d series", s.studyInstanceUid(),
                    s.sourcePacs(), stableAge, requestId, series.size());
            markRequested(s);
        }
        return published;
    }

    private synchronized void markRequested(PendingStudy published) {
        String key = key(published.studyInstanceUid(), published.sourcePacs());
        PendingStudy current = studies.get(key);
        PendingStudy next;
        if (current.lastArrivalMillis() == published.lastArrivalMillis()) {
            next = current.requested(clock.millis());
        } else {
            // instances came in while the request was on its way: which series they belong to is not told apart, so
            // every series stays pending and is requested once more (at most a repeat, never a loss)
            next = new PendingStudy(current.studyInstanceUid(), current.sourcePacs(), current.pendingSeries(),
                    current.seenInstances(), current.lastArrivalMillis(), current.requests() + 1, clock.millis(),
                    current.series());
        }
        store.save(next);
        studies.put(key, next);
    }

    /** Studies known now (pending or remembered), for tests and the health check. */
    synchronized List<PendingStudy> studies() {
        return List.copyOf(studies.values());
    }

    /**
     * The same for a publication repeated after a crash between the send and the state's update (the state then still
     * holds the round and last arrival it had), different for every round: a consumer can tell a repeat.
     */
    static String requestId(PendingStudy s) {
        String name = "scan-enhancer-receiver\n" + s.studyInstanceUid() + "\n" + s.sourcePacs() + "\n" + s.requests()
                + "\n" + s.lastArrivalMillis();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String key(String study, String sourcePacs) {
        return study + "\n" + sourcePacs;
    }
}
