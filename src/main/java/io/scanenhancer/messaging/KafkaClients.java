package io.scanenhancer.messaging;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The properties of every Kafka client in the project (request consumer, result transaction, progress events, REST
 * publisher, job tracker, readiness check, demo and test readers), made in one place from {@link KafkaSettings}, so
 * that each carries the same bootstrap servers and security settings. Keys are String, values bytes throughout.
 */
public final class KafkaClients {
    /** Makes clients from properties; a fast test passes one that hands out Kafka's MockConsumer and MockProducer. */
    public interface Factory {
        Factory REAL = new Factory() {
            @Override
            public Consumer<String, byte[]> consumer(Map<String, Object> properties) {
                if (!properties.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)) {
                    return new KafkaConsumer<>(properties);
                }
                // a static member stays in the group when it closes, its partitions held until its session times out;
                // a clean stop leaves, so that a replica or a new pod under another name takes them at once. Only a
                // crashed process stays a member: its restart, under the same id, takes them back without a rebalance
                return new KafkaConsumer<>(properties) {
                    @Override
                    public void close() {
                        close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
                    }
                };
            }

            @Override
            public Producer<String, byte[]> producer(Map<String, Object> properties) {
                return new KafkaProducer<>(properties);
            }
        };

        Consumer<String, byte[]> consumer(Map<String, Object> properties);

        Producer<String, byte[]> producer(Map<String, Object> properties);
    }

    private final KafkaSettings settings;

    public KafkaClients(KafkaSettings settings) {
        this.settings = settings;
    }

    public KafkaSettings settings() {
        return settings;
    }

    /**
     * The request consumer: offsets committed only inside the result transaction, one record per poll (one study at a
     * time), heartbeats at most a third of the session timeout apart.
     *
     * @param instanceId static group membership (group.instance.id), or null
     */
    public Map<String, Object> requestConsumer(String groupId, String instanceId, ConsumerSettings c) {
        Map<String, Object> p = base();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, millis(c.maxPollInterval()));
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, millis(c.sessionTimeout()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.min(3000, millis(c.sessionTimeout()) / 3));
        if (instanceId != null) {
            p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }
        deserializers(p);
        return p;
    }

    /**
     * Results, dead letters and the offset commit in one transaction. The transactional.id is stable for a static
     * member, so that its restarted process fences the old one's open transaction at once; unique per process
     * otherwise (the group generation fences those, KIP-447).
     */
    public Map<String, Object> resultProducer(String groupId, String instanceId) {
        Map<String, Object> p = producer();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "scan-enhancer-" + groupId + "-"
                + (instanceId != null ? instanceId : UUID.randomUUID()));
        // a transaction lasts milliseconds; one left open by a killed process holds back read_committed readers of
        // the result topic until the broker aborts it, so that should not take the default minute
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 15_000);
        return p;
    }

    /** Progress events: a lost one only makes a progress bar lag, so a send gives up soon while the broker is away. */
    public Map<String, Object> progressProducer() {
        Map<String, Object> p = producer();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        return p;
    }

    /** Requests published by the REST API and the demo (key = Study Instance UID). */
    public Map<String, Object> requestProducer() {
        Map<String, Object> p = producer();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return p;
    }

    /**
     * Reads topics without a consumer group, committed records only (results are published in transactions): the
     * REST API's job tracker, the demo, test readers. Never creates a topic by asking for it.
     */
    public Map<String, Object> committedReader() {
        Map<String, Object> p = base();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        deserializers(p);
        return p;
    }

    /** An admin client whose calls give up after {@code timeout} (the readiness check). */
    public Map<String, Object> admin(Duration timeout) {
        Map<String, Object> p = base();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(timeout));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(timeout));
        return p;
    }

    private Map<String, Object> producer() {
        Map<String, Object> p = base();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    private Map<String, Object> base() {
        Map<String, Object> p = new HashMap<>(settings.security());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return p;
    }

    private static void deserializers(Map<String, Object> p) {
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }
}
