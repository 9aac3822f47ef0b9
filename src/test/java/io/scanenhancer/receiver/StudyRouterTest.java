package io.scanenhancer.receiver;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scanenhancer.config.ServiceConfig;
import io.scanenhancer.messaging.StudyRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing rules: which series of a stable study become which requests, the unrouted count, start-up checks. */
class StudyRouterTest {
    private static final Set<String> PACS = Set.of("orthanc", "orthanc-dimse");
    private static final String STUDY = "1.2.826.0.1.3680043.2.1125.7";

    /** A rule as the configuration gives it (ServiceConfig's interface, filled by hand). */
    record Rule(Optional<List<String>> modality, Optional<String> seriesDescription, Optional<List<String>> bodyPart,
                int minSlices, int minMatrix, int maxMatrix, boolean originalOnly, Optional<String> targetPacs,
                Optional<String> degradation, OptionalInt uncertainty, OptionalInt batchSize)
            implements ServiceConfig.Receiver.Rule {
    }

    private static Rule mrT1() {
        return new Rule(Optional.of(List.of("MR")), Optional.of("(?i).*t1.*"), Optional.of(List.of("head", "BRAIN")), 10,
                128, 512, true, Optional.of("orthanc-dimse"), Optional.of("kspace"), OptionalInt.empty(), OptionalInt.of(4));
    }

    private static Rule anyCt() {
        return new Rule(Optional.of(List.of("CT")), Optional.empty(), Optional.empty(), 1, 1, 65535, true, Optional.empty(),
                Optional.empty(), OptionalInt.of(8), OptionalInt.empty());
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Counter unrouted = Counter.builder(StudyRouter.UNROUTED).register(meters);
    private final List<StudyRequest> queued = new ArrayList<>();

    private StudyRouter router(Map<String, ServiceConfig.Receiver.Rule> rules) {
        return new StudyRouter(RoutingRules.from(rules, PACS), null, queued::add, unrouted);
    }

    private static PendingStudy study(Map<String, SeriesFacts> series) {
        return new PendingStudy(STUDY, "orthanc", series.keySet(), Set.of(), 0, 0, 0, series);
    }

    @Test
    void eachSeriesGoesToTheFirstRuleItMatchesAndEachRuleIsOneRequest() throws Exception {
        Map<String, SeriesFacts> series = Map.of(
                "1.1", new SeriesFacts("MR", "T1 MPRAGE", "HEAD", 256, 256, true, 12),
                "1.2", new SeriesFacts("MR", "t1 post", "BRAIN", 256, 256, true, 40),
                "1.3", new SeriesFacts("MR", "T1 MPRAGE", "HEAD", 256, 256, false, 12), // DERIVED
                "1.4", new SeriesFacts("MR", "localizer T1", "HEAD", 256, 256, true, 3), // too few slices
                "1.5", new SeriesFacts("MR", "T2 FLAIR", "HEAD", 256, 256, true, 30), // description
                "1.6", new SeriesFacts("MR", "T1", "HEAD", 1024, 1024, true, 30), // matrix too large
                "1.7", new SeriesFacts("CT", "head", "HEAD", 512, 512, true, 200));
        router(Map.of("a-mr-t1", mrT1(), "b-ct", anyCt())).publish("base-id", study(series),
                List.of("1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"));

        assertEquals(2, queued.size());
        StudyRequest mr = queued.get(0);
        assertEquals(List.of("1.1", "1.2"), mr.seriesInstanceUids());
        assertEquals("orthanc", mr.sourcePacs());
        assertEquals("orthanc-dimse", mr.targetPacs(), "the rule's target");
        assertEquals("kspace", mr.degradation());
        assertEquals(4, mr.batchSize());
        StudyRequest ct = queued.get(1);
        assertEquals(List.of("1.7"), ct.seriesInstanceUids());
        assertEquals("orthanc", ct.targetPacs(), "no target anywhere: back into the source");
        assertEquals(8, ct.uncertainty());
        assertNotEquals(mr.requestId(), ct.requestId());
        assertEquals(0.0, unrouted.count());
    }

    @Test
    void aStudyThatMatchesNoRuleIsCountedAndNotRequested() throws Exception {
        Map<String, SeriesFacts> series = Map.of("1.1", new SeriesFacts("US", "", "", 480, 640, true, 1));
        router(Map.of("a-mr-t1", mrT1(), "b-ct", anyCt())).publish("base-id", study(series), List.of("1.1"));
        assertEquals(List.of(), queued);
        assertEquals(1.0, meters.get(StudyRouter.UNROUTED).counter().count());
    }

    @Test
    void withoutRulesEverySeriesIsOneRequestUnderTheTrackersId() throws Exception {
        Map<String, SeriesFacts> series = Map.of("1.1", new SeriesFacts("US", "", "", 480, 640, false, 1),
                "1.2", new SeriesFacts("MR", "", "", 256, 256, true, 2));
        router(Map.of()).publish("base-id", study(series), List.of("1.1", "1.2"));
        assertEquals(1, queued.size());
        assertEquals("base-id", queued.get(0).requestId());
        assertEquals(List.of("1.1", "1.2"), queued.get(0).seriesInstanceUids());
    }

    @Test
    void mistakesInRulesStopTheStartWithEveryKeyAndReason() {
        Rule bad = new Rule(Optional.empty(), Optional.of("T1(["), Optional.empty(), 0, 600, 512, true,
                Optional.of("archive"), Optional.of("blur"), OptionalInt.of(1), OptionalInt.of(65));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RoutingRules.from(Map.of("t1", bad), PACS));
        String m = e.getMessage();
        for (String expected : List.of("enhancer.receiver.rules.t1.series-description: not a regular expression",
                "enhancer.receiver.rules.t1.min-slices must be at least 1, not 0",
                "enhancer.receiver.rules.t1.min-matrix (600) must be at least 1 and at most max-matrix (512)",
                "enhancer.receiver.rules.t1.target-pacs: unknown PACS 'archive'", "enhancer.receiver.rules.t1: ")) {
            assertTrue(m.contains(expected), "missing '" + expected + "' in:\n" + m);
        }
        // the request options are held to the request's own bounds, one at a time
        Rule badBatch = new Rule(Optional.empty(), Optional.empty(), Optional.empty(), 1, 1, 512, true, Optional.empty(),
                Optional.empty(), OptionalInt.empty(), OptionalInt.of(65));
        String batch = assertThrows(IllegalStateException.class, () -> RoutingRules.from(Map.of("b", badBatch), PACS))
                .getMessage();
        assertTrue(batch.contains("enhancer.receiver.rules.b: batch-size must be between 1 and 64"), batch);
    }
}
