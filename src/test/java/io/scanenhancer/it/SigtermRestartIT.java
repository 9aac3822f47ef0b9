package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.ServeProcess;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to the service process while it works on a study, then a restart. Within the grace period the study
 * finishes and is committed before the process exits (the restart does nothing again); with no grace it is abandoned
 * uncommitted, nothing is published, and the restarted process does it once.
 */
class SigtermRestartIT {
    @TempDir
    Path temp;

    @Test
    void sigtermLetsTheStudyFinishWithinTheGracePeriod() throws Exception {
        try (LocalStack stack = LocalStack.start()) {
            SeriesFixture series = SeriesFixture.write(temp, 12);
            E2e.uploadViaRest(stack.orthanc(), series.files());
            Map<String, String> settings = settings(stack, "graceful", "30s");
            String requestId = UUID.randomUUID().toString();
            long exitMs;
            try (ServeProcess service = ServiceProcess.start(stack, "service-sigterm-graceful", settings)) {
                service.awaitReady(Duration.ofMinutes(2));
                E2e.publish(stack.broker().bootstrapServers(), "graceful.requested", series.studyInstanceUid(),
                        E2e.request(requestId, series.studyInstanceUid(), LocalStack.DICOMWEB, LocalStack.DICOMWEB));
                service.awaitLogLine("request " + requestId + " for study", Duration.ofMinutes(1));
                long sent = System.nanoTime();
                int exit = service.terminate(Duration.ofSeconds(45));
                exitMs = (System.nanoTime() - sent) / 1_000_000;
                assertTrue(service.tail().contains("request " + requestId + " done"), service.tail());
                assertTrue(exit == 0 || exit == 143, "exit code " + exit);
            }
            assertEquals(1L, committed(stack, "graceful").offset(), "committed before the process exited");
            assertEquals(1, ServiceKillIT.count(TopicReader.readAll(stack.broker().bootstrapServers(), "graceful.enhanced"),
                    requestId));

            try (ServeProcess again = ServiceProcess.start(stack, "service-sigterm-graceful-2", settings)) {
                again.awaitReady(Duration.ofMinutes(2));
                again.awaitLogLine("partitions assigned", Duration.ofSeconds(30)); // it has fetched from the committed offset
                assertEquals(1, ServiceKillIT.count(TopicReader.readAll(stack.broker().bootstrapServers(),
                        "graceful.enhanced"), requestId), "the restarted service did not redo a committed study");
            }
            assertEquals(2, E2e.qidoSeries(stack.orthanc(), series.studyInstanceUid()).size());
            System.out.printf("sigterm within the grace period: study finished and committed, process exited %d ms "
                    + "after SIGTERM; result events 1%n", exitMs);
        }
    }

    @Test
    void sigtermWithoutGraceAbandonsTheStudyUncommittedAndTheRestartDoesItOnce() throws Exception {
        try (LocalStack stack = LocalStack.start()) {
            List<Path> samples;
            try (Stream<Path> s = Files.list(Path.of("samples", "mr-t1-colin27"))) {
                samples = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
            }
            E2e.uploadViaRest(stack.orthanc(), samples);
            String study = E2e.JSON.readTree(stack.orthanc().get("/studies?expand").body()).get(0)
                    .path("MainDicomTags").path("StudyInstanceUID").asText();
            Map<String, String> settings = settings(stack, "abandon", "0s");
            String requestId = UUID.randomUUID().toString();
            long exitMs;
            try (ServeProcess service = ServiceProcess.start(stack, "service-sigterm-abandon", settings)) {
                service.awaitReady(Duration.ofMinutes(2));
                E2e.publish(stack.broker().bootstrapServers(), "abandon.requested", study,
                        E2e.request(requestId, study, LocalStack.DICOMWEB, LocalStack.DICOMWEB));
                service.awaitLogLine("request " + requestId + " for study", Duration.ofMinutes(1));
                long sent = System.nanoTime();
                service.terminate(Duration.ofSeconds(30));
                exitMs = (System.nanoTime() - sent) / 1_000_000;
                assertTrue(service.tail().contains("abandoned uncommitted"), service.tail());
            }
            assertEquals(0L, committed(stack, "abandon").offset(), "nothing committed past the request (offset 0 is its "
                    + "crash marker, released at shutdown)");
            assertEquals(0, ServiceKillIT.count(TopicReader.readAll(stack.broker().bootstrapServers(), "abandon.enhanced"),
                    requestId), "nothing published");

            try (ServeProcess again = ServiceProcess.start(stack, "service-sigterm-abandon-2", settings)) {
                again.awaitReady(Duration.ofMinutes(2));
                JsonNode result = E2e.awaitResult(stack.broker().bootstrapServers(), "abandon.enhanced", requestId);
                assertEquals("succeeded", result.path("status").asText(), result.toString());
                E2e.awaitAllAnswered(stack.broker().bootstrapServers(), "abandon", "abandon.requested", Duration.ofSeconds(30));
                assertEquals(1, ServiceKillIT.count(TopicReader.readAll(stack.broker().bootstrapServers(),
                        "abandon.enhanced"), requestId), "exactly one result event");
                assertEquals(2, E2e.qidoSeries(stack.orthanc(), study).size(), "source + one derived series");
                assertEquals(samples.size(), E2e.qidoInstances(stack.orthanc(), study,
                        result.path("series").get(0).path("derivedSeriesInstanceUid").asText()).size());
                System.out.printf("sigterm without grace: abandoned, process exited %d ms after SIGTERM; restart did "
                        + "it once: stored %d, already present %d%n", exitMs, E2e.stored(result), E2e.alreadyPresent(result));
            }
        }
    }

    private static Map<String, String> settings(LocalStack stack, String name, String grace) {
        stack.broker().createTopics(name + ".requested", name + ".enhanced", name + ".dlq");
        return Map.of("enhancer.topics.requests", name + ".requested", "enhancer.topics.results", name + ".enhanced",
                "enhancer.topics.dead-letters", name + ".dlq", "enhancer.consumer.group-id", name,
                "enhancer.consumer.instance-id", name + "-0", "enhancer.consumer.session-timeout", "10s",
                "enhancer.consumer.shutdown-grace", grace);
    }

    private static OffsetAndMetadata committed(LocalStack stack, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.broker().bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(group + ".requested", 0));
        }
    }
}
