package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.ReplicaGroup;
import io.scanenhancer.harness.ServeProcess;
import io.scanenhancer.harness.StudyCopies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three {@code serve} processes in one consumer group on a requests topic of 6 partitions; 30 studies (4 slices of
 * the sample series each, bicubic enhancer) published at once; one replica SIGKILLed while it works on a study. The
 * other two take over its partitions once its session (10 s here) times out and redo what it left uncommitted: every
 * study ends with exactly one derived series in Orthanc and exactly one success result on the result topic.
 */
class ReplicasKillIT {
    private static final int STUDIES = 30;
    private static final int SLICES = 4;
    private static final String GROUP = "replicas";
    private static final String REQUESTS = "replicas.requested";
    private static final String RESULTS = "replicas.enhanced";

    @TempDir
    Path temp;

    @Test
    void threeReplicasOneKilledEveryStudyOnce() throws Exception {
        long start = System.nanoTime();
        try (LocalStack stack = LocalStack.start()) {
            stack.broker().createTopics(6, REQUESTS);
            stack.broker().createTopics(RESULTS, "replicas.dlq", "replicas.progress");
            List<StudyCopies.Study> studies = StudyCopies.write(Path.of("samples", "mr-t1-colin27"), STUDIES, SLICES, temp);
            ReplicaGroup.upload(stack.orthanc(), studies);
            Map<String, String> settings = Map.of("enhancer.topics.requests", REQUESTS, "enhancer.topics.results", RESULTS,
                    "enhancer.topics.dead-letters", "replicas.dlq", "enhancer.topics.progress", "replicas.progress",
                    "enhancer.consumer.group-id", GROUP, "enhancer.consumer.session-timeout", "10s");
            try (ReplicaGroup group = ReplicaGroup.start(stack, 3, settings,
                    i -> PhiInLogsIT.SUBPROCESS_LOGS.resolve("replica-" + i + ".log"), List.of("-Xmx512m"))) {
                group.awaitReady(Duration.ofMinutes(2));
                long published = System.nanoTime();
                Map<String, StudyCopies.Study> requests = ReplicaGroup.publish(stack.broker().bootstrapServers(), REQUESTS,
                        studies, LocalStack.DICOMWEB);

                // killed as it starts a study after its first one: it holds a record it has not committed
                ServeProcess victim = group.replicas().get(1);
                awaitStudiesTaken(victim, 2, Duration.ofMinutes(2));
                victim.kill();
                long killedAt = System.nanoTime();

                E2e.awaitAllAnswered(stack.broker().bootstrapServers(), GROUP, REQUESTS, Duration.ofMinutes(3));
                Map<String, List<JsonNode>> results = ReplicaGroup.awaitResults(stack.broker().bootstrapServers(), RESULTS,
                        requests.keySet(), Duration.ofSeconds(30));
                long done = System.nanoTime();
                for (Map.Entry<String, List<JsonNode>> e : results.entrySet()) {
                    assertEquals(1, e.getValue().size(), "one result for " + e.getKey() + ": " + e.getValue());
                    assertEquals("succeeded", e.getValue().get(0).path("status").asText(), e.getValue().toString());
                }
                for (StudyCopies.Study s : studies) {
                    JsonNode series = E2e.getJson(stack.orthanc(), "/dicom-web/studies/" + s.studyInstanceUid()
                            + "/series?includefield=00201209");
                    assertEquals(2, series.size(), "source + exactly one derived series in " + s.studyInstanceUid());
                    for (JsonNode one : series) {
                        assertEquals(SLICES, one.path("00201209").path("Value").get(0).asInt(), "complete series: " + one);
                    }
                }
                List<Integer> finished = group.doneCounts();
                assertTrue(finished.get(0) > 0 && finished.get(2) > 0, "both survivors did work: " + finished);
                System.out.printf("replicas: %d studies over 3 replicas (one SIGKILLed %.1f s after publishing), all "
                                + "answered in %.1f s (%.1f studies/min); finished per replica %s; test %.1f s%n", STUDIES,
                        (killedAt - published) / 1e9, (done - published) / 1e9,
                        STUDIES * 60e9 / (done - published), finished, (System.nanoTime() - start) / 1e9);
            }
        }
    }

    /** Waits until the replica has logged taking {@code n} requests ("request ... for study"). */
    private static void awaitStudiesTaken(ServeProcess replica, int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (replica.log().lines().filter(l -> l.contains("RequestDispatcher") && l.contains(" for study ")).count() >= n) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("replica took fewer than " + n + " requests within " + timeout + ": " + replica.tail());
    }
}
