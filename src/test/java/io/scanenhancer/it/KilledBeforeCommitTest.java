package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.messaging.EventJson;
import io.scanenhancer.messaging.StudyRequestConsumer;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pipeline.Pipeline;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The window that used to give a second success event: a process killed after it published a request's result and
 * before it committed the offset. Here the dead process is a producer with the service instance's transactional.id
 * that published a result inside a transaction and never committed it (as a kill leaves it). The restarted instance
 * redoes the request; a read_committed reader of the result topic sees exactly one result, the real one, while a
 * read_uncommitted reader also sees the dead attempt's (aborted) record.
 */
@io.scanenhancer.StartsServices
class KilledBeforeCommitTest {
    static final String GROUP = "killed-before-commit";
    static final String INSTANCE = "enhancer-0";

    @TempDir
    Path temp;

    @Test
    void theAnswerOfAnAttemptKilledBeforeItsCommitIsNeverSeenByACommittedReader() throws Exception {
        LocalStack stack = SharedStack.get();
        Topics topics = new Topics("kbc.requested", "kbc.enhanced", "kbc.dlq");
        stack.broker().createTopics(topics.requests(), topics.results(), topics.deadLetters());
        String bootstrap = stack.broker().bootstrapServers();
        SeriesFixture series = SeriesFixture.write(temp, 2);
        E2e.uploadViaRest(stack.orthanc(), series.files());
        String requestId = UUID.randomUUID().toString();
        E2e.publish(bootstrap, topics.requests(), series.studyInstanceUid(),
                E2e.request(requestId, series.studyInstanceUid(), LocalStack.DICOMWEB, LocalStack.DICOMWEB));

        // the killed attempt: its answer is on the topic, inside a transaction it did not live to commit
        KafkaProducer<String, byte[]> killed = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "scan-enhancer-" + GROUP + "-" + INSTANCE,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        killed.initTransactions();
        killed.beginTransaction();
        killed.send(new ProducerRecord<>(topics.results(), series.studyInstanceUid(), ("{\"requestId\":\"" + requestId
                + "\",\"status\":\"succeeded\",\"attempt\":\"killed\"}").getBytes(StandardCharsets.UTF_8))).get();
        killed.flush();

        // the restarted instance: same group and static instance id, so the same transactional.id as the killed one
        try (Pipeline pipeline = Pipeline.start(stack.settings(GROUP, topics).withEnhancer(Enhancers.BICUBIC)
                .withInstanceId(INSTANCE).withAttempts(3, Duration.ofSeconds(1)))) {
            StudyRequestConsumer restarted = pipeline.consumer();
            JsonNode result = E2e.awaitResult(bootstrap, topics.results(), requestId);
            E2e.assertDerivedSeries(stack.orthanc(), series, result);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (restarted.counts().succeeded() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, restarted.counts().succeeded());
        } finally {
            killed.close(Duration.ZERO);
        }

        List<JsonNode> committed = answers(TopicReader.readAll(bootstrap, topics.results()), requestId);
        assertEquals(1, committed.size(), "one result for a read_committed reader: " + committed);
        assertEquals("", committed.get(0).path("attempt").asText(), "and it is the real one");
        List<JsonNode> everything = answers(readUncommitted(bootstrap, topics.results()), requestId);
        assertEquals(2, everything.size(), "the killed attempt's answer is there, aborted: " + everything);
        System.out.printf("killed before commit: %d result records on the topic, %d visible to read_committed%n",
                everything.size(), committed.size());
    }

    private static List<JsonNode> answers(List<ConsumerRecord<String, byte[]>> records, String requestId) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            JsonNode n = EventJson.mapper().readTree(r.value());
            if (requestId.equals(n.path("requestId").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    private static List<ConsumerRecord<String, byte[]>> readUncommitted(String bootstrap, String topic) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }
}
