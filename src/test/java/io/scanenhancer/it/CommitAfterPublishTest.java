package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.FreePorts;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.messaging.StudyRequestConsumer;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pipeline.Pipeline;
import io.scanenhancer.pipeline.PipelineListener;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offset is committed only after store + publish: while the target PACS is down the request stays uncommitted
 * (and nothing is published); a consumer started later in the same group picks it up and finishes it.
 */
@io.scanenhancer.StartsServices
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
        String bootstrap = stack.broker().bootstrapServers();
        PacsSettings.DicomWeb source = (PacsSettings.DicomWeb) stack.pacsSettings().get(0);
        PacsSettings archiveDown = new PacsSettings.DicomWeb("archive", URI.create("http://127.0.0.1:" + FreePorts.next()
                + "/dicom-web"), null, null, null, Duration.ofSeconds(2));
        // the same Orthanc, now answering under the name "archive"
        PacsSettings archiveUp = new PacsSettings.DicomWeb("archive", source.baseUrl(), source.username(),
                source.password(), null, source.timeout());

        String requestId = UUID.randomUUID().toString();
        E2e.publish(bootstrap, TOPICS.requests(), series.studyInstanceUid(),
                E2e.request(requestId, series.studyInstanceUid(), LocalStack.DICOMWEB, "archive"));

        java.util.concurrent.CountDownLatch failedAttempts = new java.util.concurrent.CountDownLatch(3);
        try (Pipeline pipeline = start(stack, List.of(source, archiveDown), new PipelineListener() {
            @Override
            public void retrying(String errorCode) {
                failedAttempts.countDown();
            }
        })) {
            StudyRequestConsumer first = pipeline.consumer();
            assertTrue(failedAttempts.await(60, java.util.concurrent.TimeUnit.SECONDS), "three attempts failed to store");
            assertEquals(0L, committedOffset(bootstrap).offset(), "nothing committed past the request while the target "
                    + "PACS is down (offset 0 is its crash marker)");
            assertTrue(TopicReader.readAll(bootstrap, TOPICS.results()).isEmpty(), "no result published");
            assertEquals(0, first.counts().succeeded() + first.counts().deadLettered());
        }

        try (Pipeline second = start(stack, List.of(source, archiveUp), PipelineListener.NONE)) {
            JsonNode result = E2e.awaitResult(bootstrap, TOPICS.results(), requestId);
            E2e.assertDerivedSeries(stack.orthanc(), series, result);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (committedOffset(bootstrap).offset() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1L, committedOffset(bootstrap).offset(), "committed after the result was published");
        }
    }

    /** Attempts enough never to give up during the test, half a second apart. */
    private static Pipeline start(LocalStack stack, List<PacsSettings> pacs, PipelineListener listener) {
        return Pipeline.builder(stack.settings(GROUP, TOPICS).withEnhancer(Enhancers.BICUBIC).withPacs(pacs)
                .withAttempts(1000, Duration.ofMillis(500))).listener(listener).start();
    }

    private static OffsetAndMetadata committedOffset(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(TOPICS.requests(), 0));
        }
    }
}
