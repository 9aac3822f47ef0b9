package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.FreePorts;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.messaging.EventJson;
import io.scanenhancer.messaging.StudyRequestConsumer;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.job.EnhanceStudyJob;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsRegistry;
import io.scanenhancer.pacs.PacsSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offset is committed only after store + publish: while the target PACS is down the request stays uncommitted
 * (and nothing is published); a consumer started later in the same group picks it up and finishes it.
 */
class CommitAfterPublishTest {
    private static final String GROUP = "commit-after-publish";
    private static final Topics TOPICS = new Topics("commit.requested", "commit.enhanced", "commit.dlq");

    @TempDir
    Path temp;

    @Test
    void anUnfinishedRequestIsNotCommittedAndIsProcessedByTheNextConsumer() throws Exception {
        LocalStack stack = SharedStack.get();
        SeriesFixture series = SeriesFixture.write(temp, 2);
        E2e.uploadViaRest(stack.orthanc(), series.files());
        stack.broker().createTopics(TOPICS.requests(), TOPICS.results(), TOPICS.deadLetters());
        String bootstrap = stack.broker().bootstrapServers();
        Pacs source = stack.registry().get(LocalStack.DICOMWEB);
        Pacs archiveDown = new PacsSettings.DicomWeb("archive", URI.create("http://127.0.0.1:" + FreePorts.next() + "/dicom-web"),
                null, null, null, Duration.ofSeconds(2)).open();
        Pacs archiveUp = source; // the same Orthanc, now answering under the name "archive"

        String requestId = UUID.randomUUID().toString();
        E2e.publish(bootstrap, TOPICS.requests(), series.studyInstanceUid(),
                E2e.request(requestId, series.studyInstanceUid(), LocalStack.DICOMWEB, "archive"));

        try (StudyRequestConsumer first = consumer(bootstrap, new PacsRegistry(Map.of(LocalStack.DICOMWEB, source, "archive", archiveDown)))) {
            Thread.sleep(6000); // several attempts fail to store
            assertNull(committedOffset(bootstrap), "nothing committed while the target PACS is down");
            assertTrue(TopicReader.readAll(bootstrap, TOPICS.results()).isEmpty(), "no result published");
            assertEquals(0, first.succeeded() + first.deadLettered());
        }

        try (StudyRequestConsumer second = consumer(bootstrap, new PacsRegistry(Map.of(LocalStack.DICOMWEB, source, "archive", archiveUp)))) {
            JsonNode result = E2e.awaitResult(bootstrap, TOPICS.results(), requestId);
            E2e.assertDerivedSeries(stack.orthanc(), series, result);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (committedOffset(bootstrap) == null && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1L, committedOffset(bootstrap).offset(), "committed after the result was published");
        }
    }

    private static StudyRequestConsumer consumer(String bootstrap, PacsRegistry registry) {
        StudyRequestConsumer.Options options = new StudyRequestConsumer.Options(bootstrap, GROUP, TOPICS, 1000,
                Duration.ofMillis(500), Duration.ofMinutes(5));
        return new StudyRequestConsumer(options, new EnhanceStudyJob(registry, Enhancers.open(Enhancers.BICUBIC, null), null),
                EventJson.mapper()).start();
    }

    private static OffsetAndMetadata committedOffset(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(TOPICS.requests(), 0));
        }
    }
}
