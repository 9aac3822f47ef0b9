package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.enhance.BicubicEnhancer;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.messaging.EventJson;
import io.scanenhancer.messaging.StudyRequestConsumer;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pipeline.Pipeline;
import io.scanenhancer.pipeline.PipelineListener;
import io.scanenhancer.pipeline.PipelineSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 item 3: a study that takes several times Kafka's max.poll.interval.ms (3 s here, a slowed bicubic enhancer
 * taking about 10 s) does not make the group drop the consumer: no rebalance, the offset committed once, one result
 * event, one derived series. And a second consumer joining the group mid-study gets the partition only after the
 * study is committed, so the study is not done twice.
 */
@io.scanenhancer.StartsServices
class LongStudyRebalanceTest {
    static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(3);
    static final int SLICES = 5;
    static final long MILLIS_PER_SLICE = 2000;
    /** Slices the slowed enhancer has finished, across this class's pipelines. */
    private static final java.util.concurrent.atomic.AtomicInteger SLICES_ENHANCED = new java.util.concurrent.atomic.AtomicInteger();

    @TempDir
    Path temp;

    @Test
    void aStudyLongerThanTheMaxPollIntervalCausesNoRebalanceAndIsDoneOnce() throws Exception {
        LocalStack stack = SharedStack.get();
        Topics topics = new Topics("long.requested", "long.enhanced", "long.dlq");
        SeriesFixture series = upload(stack, temp.resolve("a"));
        String requestId = UUID.randomUUID().toString();
        long start = System.nanoTime();
        try (Pipeline pipeline = pipeline(stack, topics, "long-study")) {
            StudyRequestConsumer consumer = pipeline.consumer();
            E2e.publish(stack.broker().bootstrapServers(), topics.requests(), series.studyInstanceUid(),
                    E2e.request(requestId, series.studyInstanceUid(), LocalStack.DICOMWEB, LocalStack.DICOMWEB));
            JsonNode result = E2e.awaitResult(stack.broker().bootstrapServers(), topics.results(), requestId);
            double seconds = (System.nanoTime() - start) / 1e9;
            E2e.assertDerivedSeries(stack.orthanc(), series, result);
            assertTrue(seconds > 3 * MAX_POLL_INTERVAL.toSeconds(), "the study took " + seconds + " s, several poll intervals");
            awaitCommitted(stack, "long-study", topics, 1);
            Thread.sleep(MAX_POLL_INTERVAL.toMillis() * 2); // a dropped consumer would redo the record now
            assertEquals(0, consumer.counts().rebalances(), "the group never took the partition away");
            assertEquals(1, consumer.counts().succeeded(), "done once");
            assertTrue(consumer.alive());
            System.out.printf("long study: %.1f s with max.poll.interval.ms %d: %d rebalances, 1 result%n", seconds,
                    MAX_POLL_INTERVAL.toMillis(), consumer.counts().rebalances());
        }
        assertEquals(1, successResults(stack, topics, requestId), "exactly one result event");
    }

    @Test
    void aConsumerJoiningMidStudyGetsThePartitionOnlyAfterTheStudyIsCommitted() throws Exception {
        LocalStack stack = SharedStack.get();
        Topics topics = new Topics("join.requested", "join.enhanced", "join.dlq");
        SeriesFixture series = upload(stack, temp.resolve("b"));
        String requestId = UUID.randomUUID().toString();
        CountDownLatch taken = new CountDownLatch(1);
        // the hand-over waits within the group's rebalance timeout, which is max.poll.interval.ms: 30 s here
        try (Pipeline firstPipeline = pipeline(stack, topics, "join-study", Duration.ofSeconds(30), new PipelineListener() {
            @Override
            public void started() {
                taken.countDown();
            }
        })) {
            StudyRequestConsumer first = firstPipeline.consumer();
            E2e.publish(stack.broker().bootstrapServers(), topics.requests(), series.studyInstanceUid(),
                    E2e.request(requestId, series.studyInstanceUid(), LocalStack.DICOMWEB, LocalStack.DICOMWEB));
            assertTrue(taken.await(30, TimeUnit.SECONDS), "the first consumer took the record");
            awaitSlicesEnhanced(1); // the study is under way (it takes about 10 s)
            try (Pipeline secondPipeline = pipeline(stack, topics, "join-study", Duration.ofSeconds(30), PipelineListener.NONE)) {
                StudyRequestConsumer second = secondPipeline.consumer();
                JsonNode result = E2e.awaitResult(stack.broker().bootstrapServers(), topics.results(), requestId);
                E2e.assertDerivedSeries(stack.orthanc(), series, result);
                awaitCommitted(stack, "join-study", topics, 1); // answer and commit are one transaction: nothing is redone now
                assertTrue(first.counts().rebalances() >= 1, "the join did rebalance the group");
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos(); // the loop counts just after its commit
                while (first.counts().succeeded() + second.counts().succeeded() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(1, first.counts().succeeded() + second.counts().succeeded(), "the study was done once, not by both");
                assertEquals(0, first.counts().deadLettered() + second.counts().deadLettered());
            }
        }
        assertEquals(1, successResults(stack, topics, requestId), "exactly one result event");
    }

    private static SeriesFixture upload(LocalStack stack, Path folder) throws Exception {
        SeriesFixture series = SeriesFixture.write(folder, SLICES);
        E2e.uploadViaRest(stack.orthanc(), series.files());
        return series;
    }

    private static Pipeline pipeline(LocalStack stack, Topics topics, String group) {
        return pipeline(stack, topics, group, MAX_POLL_INTERVAL, PipelineListener.NONE);
    }

    /** Batch 1: one slow enhancer call per slice. A 6 s session timeout, so a dropped consumer would show soon. */
    private static Pipeline pipeline(LocalStack stack, Topics topics, String group, Duration maxPollInterval,
                                     PipelineListener listener) {
        PipelineSettings settings = stack.settings(group, topics).withAttempts(3, Duration.ofSeconds(1)).withBatchSize(1);
        settings = settings.withConsumer(settings.consumer().withMaxPollInterval(maxPollInterval)
                .withSessionTimeout(Duration.ofSeconds(6)).withShutdownGrace(Duration.ofSeconds(30)));
        return Pipeline.builder(settings).enhancer(new SlowEnhancer(new BicubicEnhancer(2))).listener(listener).start();
    }

    private static void awaitSlicesEnhanced(int atLeast) throws InterruptedException {
        int from = SLICES_ENHANCED.get();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (SLICES_ENHANCED.get() - from < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no slice enhanced within 30 s");
            }
            Thread.sleep(50);
        }
    }

    private static void awaitCommitted(LocalStack stack, String group, Topics topics, long offset) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        OffsetAndMetadata committed = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.broker().bootstrapServers()))) {
            while (System.nanoTime() < deadline) {
                committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                        .get(new TopicPartition(topics.requests(), 0));
                if (committed != null && committed.offset() == offset) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("offset " + offset + " not committed; committed: " + committed);
    }

    private static long successResults(LocalStack stack, Topics topics, String requestId) throws Exception {
        long n = 0;
        for (var r : TopicReader.readAll(stack.broker().bootstrapServers(), topics.results())) {
            JsonNode event = EventJson.mapper().readTree(r.value());
            if (requestId.equals(event.path("requestId").asText()) && "succeeded".equals(event.path("status").asText())) {
                n++;
            }
        }
        return n;
    }

    /** Bicubic that takes {@link #MILLIS_PER_SLICE} per image, standing in for a slow model on a big series. */
    private record SlowEnhancer(Enhancer delegate) implements Enhancer {
        @Override
        public String modelId() {
            return delegate.modelId();
        }

        @Override
        public String modelVersion() {
            return delegate.modelVersion();
        }

        @Override
        public int scale() {
            return delegate.scale();
        }

        @Override
        public EnhancedImage enhance(FloatImage lowResolution, EnhanceSettings settings) {
            try {
                Thread.sleep(MILLIS_PER_SLICE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            EnhancedImage out = delegate.enhance(lowResolution, settings);
            SLICES_ENHANCED.incrementAndGet();
            return out;
        }

        @Override
        public List<EnhancedImage> enhanceAll(List<FloatImage> images, EnhanceSettings settings) {
            return images.stream().map(i -> enhance(i, settings)).toList();
        }
    }
}
