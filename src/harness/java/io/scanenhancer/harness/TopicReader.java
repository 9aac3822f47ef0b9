package io.scanenhancer.harness;

import io.scanenhancer.messaging.KafkaClients;
import io.scanenhancer.messaging.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads a topic from its beginning, without a consumer group, until a record matches (demo and tests). Reads committed
 * records only, as a reader of the result topic should: answers of attempts that died before their commit are left out.
 */
public final class TopicReader {
    private TopicReader() {
    }

    public static Optional<ConsumerRecord<String, byte[]>> await(String bootstrapServers, String topic,
                                                                 Predicate<ConsumerRecord<String, byte[]>> match,
                                                                 Duration timeout) {
        return await(bootstrapServers, Map.of(), topic, match, timeout);
    }

    /** @param security security.protocol, ssl.* and sasl.* settings for a broker that requires them */
    public static Optional<ConsumerRecord<String, byte[]>> await(String bootstrapServers, Map<String, Object> security,
                                                                 String topic,
                                                                 Predicate<ConsumerRecord<String, byte[]>> match,
                                                                 Duration timeout) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(reader(bootstrapServers, security))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> partitions = new ArrayList<>();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos != null) {
                    infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
                }
                if (partitions.isEmpty()) {
                    sleep(); // not created yet: its first producer creates it
                }
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (match.test(r)) {
                        return Optional.of(r);
                    }
                }
            }
            return Optional.empty();
        }
    }

    /** Every record currently on the topic (reads until a poll returns nothing for a second). */
    public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrapServers, String topic) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(reader(bootstrapServers, Map.of()))) {
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                c.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    /** The end offset of every partition of the topic (for a read_committed reader: the last stable offset). */
    public static Map<TopicPartition, Long> endOffsets(String bootstrapServers, String topic) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(reader(bootstrapServers, Map.of()))) {
            return c.endOffsets(c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList());
        }
    }

    /** The project's committed reader (KafkaClients), as the REST API's job tracker reads. */
    private static Map<String, Object> reader(String bootstrapServers, Map<String, Object> security) {
        return new KafkaClients(new KafkaSettings(bootstrapServers, security)).committedReader();
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
