package io.scanenhancer.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * Several {@code serve} processes in one consumer group on one {@link LocalStack}: Kafka shares the request topic's
 * partitions out among them. The replica test and {@code ./enhancer bench --mode replicas} run it.
 */
public final class ReplicaGroup implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<ServeProcess> replicas;

    private ReplicaGroup(List<ServeProcess> replicas) {
        this.replicas = replicas;
    }

    /**
     * @param settings configuration keys every replica gets (topics, group id ...), passed as environment variables
     * @param logs     the log file of replica i (1-based)
     */
    public static ReplicaGroup start(LocalStack stack, int count, Map<String, String> settings, IntFunction<Path> logs,
                                     List<String> jvmOptions) throws IOException {
        List<ServeProcess> started = new ArrayList<>();
        try {
            for (int i = 1; i <= count; i++) {
                started.add(ServeProcess.start(stack, logs.apply(i), jvmOptions, settings));
            }
        } catch (IOException | RuntimeException e) {
            for (ServeProcess p : started) {
                try {
                    p.close();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
        return new ReplicaGroup(started);
    }

    public List<ServeProcess> replicas() {
        return replicas;
    }

    /**
     * Waits until every replica answers its readiness probe and has been given partitions: all of them are then in the
     * group, so what is published next is shared out among all, not taken by the first to join.
     */
    public void awaitReady(Duration timeout) throws Exception {
        for (ServeProcess p : replicas) {
            p.awaitReady(timeout);
        }
        for (ServeProcess p : replicas) {
            p.awaitLogLine("partitions assigned: [", timeout);
        }
    }

    /** Every slice of every study into Orthanc over its REST API. */
    public static void upload(LocalOrthanc orthanc, List<StudyCopies.Study> studies) throws IOException {
        for (StudyCopies.Study s : studies) {
            for (Path f : s.files()) {
                HttpResponse<String> r = orthanc.post("/instances", Files.readAllBytes(f));
                if (r.statusCode() != 200) {
                    throw new IOException("Orthanc refused " + f + ": HTTP " + r.statusCode());
                }
            }
        }
    }

    /** One enhance request per study, key = its Study Instance UID; returns request id -> study. */
    public static Map<String, StudyCopies.Study> publish(String bootstrap, String topic, List<StudyCopies.Study> studies,
                                                          String pacs) throws Exception {
        Map<String, StudyCopies.Study> requests = new LinkedHashMap<>();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (StudyCopies.Study s : studies) {
                String id = UUID.randomUUID().toString();
                String request = "{\"requestId\":\"" + id + "\",\"studyInstanceUid\":\"" + s.studyInstanceUid()
                        + "\",\"sourcePacs\":\"" + pacs + "\",\"targetPacs\":\"" + pacs + "\",\"operation\":\"enhance\",\"scale\":2}";
                p.send(new ProducerRecord<>(topic, s.studyInstanceUid(), request.getBytes(StandardCharsets.UTF_8)));
                requests.put(id, s);
            }
            p.flush();
        }
        return requests;
    }

    /**
     * Waits until the result topic holds a result for every request id (read_committed: only answers whose offset
     * commit went through); returns request id -> its results, all of them, so a caller can count duplicates.
     */
    public static Map<String, List<JsonNode>> awaitResults(String bootstrap, String topic, Iterable<String> requestIds,
                                                           Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, List<JsonNode>> results = new LinkedHashMap<>();
            requestIds.forEach(id -> results.put(id, new ArrayList<>()));
            for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(bootstrap, topic)) {
                JsonNode n = JSON.readTree(r.value());
                List<JsonNode> mine = results.get(n.path("requestId").asText());
                if (mine != null) {
                    mine.add(n);
                }
            }
            long missing = results.values().stream().filter(List::isEmpty).count();
            if (missing == 0) {
                return results;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(missing + " of " + results.size() + " requests have no result after " + timeout);
            }
            Thread.sleep(250);
        }
    }

    /** How many requests each replica finished, read off its log ("request ... done"). */
    public List<Integer> doneCounts() throws IOException {
        List<Integer> counts = new ArrayList<>();
        for (ServeProcess p : replicas) {
            counts.add((int) p.log().lines().filter(l -> l.contains("RequestDispatcher") && l.contains(" done: ")).count());
        }
        return counts;
    }

    @Override
    public void close() throws InterruptedException {
        for (ServeProcess p : replicas) {
            p.close();
        }
    }
}
