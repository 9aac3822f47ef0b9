package io.scanenhancer.receiver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stability rule, the rule for late arrivals and the recovery after a restart, on a clock the test moves. */
class StudyStabilityTrackerTest {
    private static final Duration STABLE = Duration.ofSeconds(30);
    private static final Duration REMEMBER = Duration.ofHours(1);
    private static final String STUDY = "1.2.826.0.1.3680043.2.1125.1";

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock();
    private final List<Published> published = new ArrayList<>();

    record Published(String requestId, String study, String sourcePacs, List<String> series) {
    }

    private StudyStabilityTracker tracker() {
        return new StudyStabilityTracker(new PendingStudyStore(dir), (id, study, series) ->
                published.add(new Published(id, study.studyInstanceUid(), study.sourcePacs(), series)), clock, STABLE, REMEMBER);
    }

    @Test
    void oneRequestOnceTheStudyIsStableWithEverySeries() {
        StudyStabilityTracker t = tracker();
        for (int i = 0; i < 12; i++) {
            t.arrived(STUDY, i < 8 ? "1.2.3.1" : "1.2.3.2", "1.2.3.4." + i, "orthanc");
            clock.advance(Duration.ofMillis(100));
        }
        clock.advance(STABLE.minusMillis(101));
        assertEquals(0, t.publishStable(), "published before the stable age had passed since the last instance");
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, t.publishStable());
        assertEquals(List.of(new Published(published.get(0).requestId(), STUDY, "orthanc", List.of("1.2.3.1", "1.2.3.2"))),
                published);
        clock.advance(STABLE.multipliedBy(3));
        assertEquals(0, t.publishStable(), "a stable study is requested once");
    }

    @Test
    void everyNewInstanceRestartsTheWait() {
        StudyStabilityTracker t = tracker();
        t.arrived(STUDY, "1.2.3.1", "1.2.3.4.1", "orthanc");
        clock.advance(STABLE.minusSeconds(1));
        t.arrived(STUDY, "1.2.3.1", "1.2.3.4.2", "orthanc");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(0, t.publishStable());
        clock.advance(STABLE);
        assertEquals(1, t.publishStable());
    }

    @Test
    void instancesSentAgainChangeNothing() {
        StudyStabilityTracker t = tracker();
        assertEquals(StudyStabilityTracker.Arrival.NEW, t.arrived(STUDY, "1.2.3.1", "1.2.3.4.1", "orthanc"));
        clock.advance(STABLE);
        t.publishStable();
        assertEquals(StudyStabilityTracker.Arrival.ALREADY_SEEN, t.arrived(STUDY, "1.2.3.1", "1.2.3.4.1", "orthanc"));
        clock.advance(STABLE.multipliedBy(2));
        assertEquals(0, t.publishStable());
        assertEquals(1, published.size());
    }

    @Test
    void aSeriesArrivingAfterTheRequestGetsARequestOfItsOwn() {
        StudyStabilityTracker t = tracker();
        t.arrived(STUDY, "1.2.3.1", "1.2.3.4.1", "orthanc");
        t.arrived(STUDY, "1.2.3.1", "1.2.3.4.2", "orthanc");
        clock.advance(STABLE);
        t.publishStable();
        t.arrived(STUDY, "1.2.3.9", "1.2.3.4.3", "orthanc");
        clock.advance(STABLE);
        assertEquals(1, t.publishStable());
        assertEquals(2, published.size());
        assertEquals(List.of("1.2.3.9"), published.get(1).series(), "only the new series");
        assertNotEquals(published.get(0).requestId(), published.get(1).requestId());
    }

    @Test
    void theSameStudyFromTwoSendersIsTwoRequests() {
        StudyStabilityTracker t = tracker();
        t.arrived(STUDY, "1.2.3.1", "1.2.3.4.1", "orthanc");
        t.arrived(STUDY, "1.2.3.1", "1.2.3.4.1", "orthanc-dimse");
        clock.advance(STABLE);
        assertEquals(2, t.publishStable());
        assertEquals(List.of("orthanc", "orthanc-dimse"), published.stream().map(Published::sourcePacs).sorted().toList());
    }

    @Test
    void aFailedPublicationIsTriedAgain() {
        List<String> attempts = new ArrayList<>();
        StudyStabilityTracker t = new StudyStabilityTracker(new PendingStudyStore(dir), (id, study, series) -> {
            attempts.add(id);
            if (attempts.size() == 1) {
                throw new IllegalStateException("broker down");
            }
        }, clock, STABLE, REMEMBER);
        t.arrived(STUDY, "1.2.3.1", "1.2.3.4.1", "orthanc");
        clock.advance(STABLE);
        assertEquals(0, t.publishStable());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, t.publishStable());
        assertEquals(attempts.get(0), attempts.get(1), "the retry carries the same request id");
        assertEquals(0, t.publishStable());
    }

    @Test
    void aPendingStudyIsPublishedAfterARestart() {
        StudyStabilityTracker before = tracker();
        before.arrived(STUDY, "1.2.3.1", "1.2.3.4.1", "orthanc");
        before.arrived(STUDY, "1.2.3.2", "1.2.3.4.2", "orthanc");
        clock.advance(Duration.ofSeconds(5));
        // the process dies here: nothing but the files of the state folder carries over
        StudyStabilityTracker after = tracker();
        assertEquals(1, after.studies().size());
        clock.advance(STABLE.minusSeconds(5).minusMillis(1));
        assertEquals(0, after.publishStable(), "the stable age counts from the last arrival, not from the restart");
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, after.publishStable());
        assertEquals(List.of("1.2.3.1", "1.2.3.2"), published.get(0).series());
        // and a requested study stays requested across a further restart
        clock.advance(STABLE);
        assertEquals(0, tracker().publishStable());
        assertEquals(1, published.size());
    }

    @Test
    void aPublicationLostInACrashIsRepeatedWithTheSameRequestId() {
        List<String> sent = new ArrayList<>();
        StudyStabilityTracker dying = new StudyStabilityTracker(new PendingStudyStore(dir), (id, study, series) -> {
            sent.add(id);
            throw new IllegalStateException("process killed after the send, before the state was saved");
        }, clock, STABLE, REMEMBER);
        dying.arrived(STUDY, "1.2.3.1", "1.2.3.4.1", "orthanc");
        clock.advance(STABLE);
        dying.publishStable();
        assertEquals(1, tracker().publishStable());
        assertEquals(sent.get(0), published.get(0).requestId(), "a consumer can recognise the repeat");
    }

    @Test
    void requestedStudiesAreForgottenAfterTheirTime() throws Exception {
        StudyStabilityTracker t = tracker();
        t.arrived(STUDY, "1.2.3.1", "1.2.3.4.1", "orthanc");
        clock.advance(STABLE);
        t.publishStable();
        assertEquals(1, stateFiles().size());
        clock.advance(REMEMBER);
        t.publishStable();
        assertEquals(List.of(), t.studies());
        assertEquals(List.of(), stateFiles());
    }

    @Test
    void stateFileNamesAndContentHoldUidsOnly() throws Exception {
        tracker().arrived(STUDY, "1.2.3.1", "1.2.3.4.1", "orthanc");
        List<Path> files = stateFiles();
        assertEquals(1, files.size());
        assertFalse(files.get(0).getFileName().toString().contains(STUDY), "the study UID shows in the file name");
        String content = Files.readString(files.get(0));
        assertTrue(content.contains(STUDY) && content.contains("1.2.3.4.1"), content);
    }

    private List<Path> stateFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    /** A clock the test moves by hand: no sleeps. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-05T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
