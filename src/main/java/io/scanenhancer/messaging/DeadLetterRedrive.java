package io.scanenhancer.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanenhancer.job.ErrorCode;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Sends dead letters back to the requests topic (after an outage, once the cause is gone): the original record (key,
 * value, its own headers) with {@value #REDRIVE_COUNT} one higher. What it reads is the dead-letter topic as it is at
 * the start of the call, narrowed by the {@link Filter}. A dead letter whose code is permanent
 * ({@link ErrorCode#transientFailure()} false: malformed, unknown study, refused input ...) would fail the same way
 * again and is refused unless forced. Never sent again, forced or not: a dead letter without its value (too large
 * for the topic), an older dead letter of a request that has a later one, and a request that has succeeded since.
 * Sending a study again is harmless in itself: derived UIDs are deterministic and the store sends only what the PACS
 * lacks, so a study redriven twice still has one derived series.
 */
public final class DeadLetterRedrive {
    /** Header on a redriven request: how many times it was sent again (1 on the first redrive). */
    public static final String REDRIVE_COUNT = "x-redrive-count";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> DEAD_LETTER_HEADERS = Set.of(DeadLetterHeaders.REASON, DeadLetterHeaders.ERROR_CODE,
            DeadLetterHeaders.ERROR_CLASS, DeadLetterHeaders.ORIGINAL_TOPIC, DeadLetterHeaders.ORIGINAL_PARTITION,
            DeadLetterHeaders.ORIGINAL_OFFSET, DeadLetterHeaders.REQUEST_ID, DeadLetterHeaders.VALUE_OMITTED, REDRIVE_COUNT);

    /**
     * Which dead letters; null fields match all.
     *
     * @param errorCodes x-error-code values, e.g. pacs-unavailable
     * @param from       dead-lettered at or after
     * @param to         dead-lettered before
     * @param force      send permanent failures too
     * @param dryRun     say what would be sent, send nothing
     */
    public record Filter(Set<String> errorCodes, Instant from, Instant to, String requestId, boolean force, boolean dryRun) {
        boolean matches(Letter l) {
            return (errorCodes == null || errorCodes.isEmpty() || errorCodes.contains(l.errorCode()))
                    && (requestId == null || requestId.equals(l.requestId()))
                    && (from == null || !l.deadLetteredAt().isBefore(from))
                    && (to == null || l.deadLetteredAt().isBefore(to));
        }
    }

    /**
     * One dead letter and what became of it.
     *
     * @param deadLetter   where it lies, topic-partition@offset
     * @param requestId    null when the record was not a request with an id
     * @param studyInstanceUid the record key (the producers' convention), or null
     * @param redriveCount the count the republished record carries (0 when refused)
     * @param refusal      why it was not sent (null when republished): permanent, no-value, superseded, already-succeeded
     */
    public record Letter(String deadLetter, String requestId, String studyInstanceUid, String errorCode, String reason,
                         Instant deadLetteredAt, int redriveCount, String refusal) {
        Letter refused(String why) {
            return new Letter(deadLetter, requestId, studyInstanceUid, errorCode, reason, deadLetteredAt, 0, why);
        }

        Letter sent(int count) {
            return new Letter(deadLetter, requestId, studyInstanceUid, errorCode, reason, deadLetteredAt, count, null);
        }
    }

    /** What one call did: the dead letters republished (or, on a dry run, that would be) and those refused, with why. */
    public record Report(List<Letter> republished, List<Letter> refused, boolean dryRun) {
    }

    private final KafkaClients kafka;
    private final KafkaClients.Factory clients;
    private final Topics topics;
    private final ObjectMapper json = EventJson.mapper();

    public DeadLetterRedrive(KafkaClients kafka, KafkaClients.Factory clients, Topics topics) {
        this.kafka = kafka;
        this.clients = clients;
        this.topics = topics;
    }

    public Report redrive(Filter filter) throws Exception {
        List<ConsumerRecord<String, byte[]>> letters = read(topics.deadLetters(), filter.from());
        Map<String, ConsumerRecord<String, byte[]>> latestPerRequest = new HashMap<>();
        List<Map.Entry<ConsumerRecord<String, byte[]>, Letter>> selected = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : letters) {
            Letter l = letter(r);
            if (filter.matches(l)) {
                selected.add(Map.entry(r, l));
                if (l.requestId() != null) {
                    latestPerRequest.merge(l.requestId(), r, (a, b) -> b.timestamp() >= a.timestamp() ? b : a);
                }
            }
        }
        Instant earliest = selected.stream().map(e -> e.getValue().deadLetteredAt()).min(Instant::compareTo).orElse(null);
        Set<String> succeeded = earliest == null ? Set.of() : succeededSince(earliest);
        List<Letter> republished = new ArrayList<>();
        List<Letter> refused = new ArrayList<>();
        Map<ProducerRecord<String, byte[]>, Letter> toSend = new LinkedHashMap<>();
        for (Map.Entry<ConsumerRecord<String, byte[]>, Letter> e : selected) {
            ConsumerRecord<String, byte[]> r = e.getKey();
            Letter l = e.getValue();
            String refusal = refusal(r, l, filter.force(), latestPerRequest, succeeded);
            if (refusal != null) {
                refused.add(l.refused(refusal));
                continue;
            }
            int count = redriveCount(r) + 1;
            toSend.put(original(r, count), l.sent(count));
        }
        if (!filter.dryRun() && !toSend.isEmpty()) {
            send(toSend.keySet());
        }
        republished.addAll(toSend.values());
        return new Report(republished, refused, filter.dryRun());
    }

    private static String refusal(ConsumerRecord<String, byte[]> r, Letter l, boolean force,
                                  Map<String, ConsumerRecord<String, byte[]>> latestPerRequest, Set<String> succeeded) {
        if (r.value() == null || r.headers().lastHeader(DeadLetterHeaders.VALUE_OMITTED) != null) {
            return "no-value: the dead letter does not hold the original record";
        }
        if (l.requestId() != null && latestPerRequest.get(l.requestId()) != r) {
            return "superseded: a later dead letter of the same request is the one to send";
        }
        if (l.requestId() != null && succeeded.contains(l.requestId())) {
            return "already-succeeded: a success result of this request was published after it was dead-lettered";
        }
        if (!force && permanent(l.errorCode())) {
            return "permanent: " + (l.errorCode() == null ? "no error code" : l.errorCode())
                    + " would fail the same way again (force to send it anyway)";
        }
        return null;
    }

    /** Only a transient code (the PACS was away) may succeed when sent again; an unknown code counts as permanent. */
    static boolean permanent(String errorCode) {
        for (ErrorCode c : ErrorCode.values()) {
            if (c.code().equals(errorCode)) {
                return !c.transientFailure();
            }
        }
        return true;
    }

    private Letter letter(ConsumerRecord<String, byte[]> r) {
        return new Letter(Attempts.where(r), header(r, DeadLetterHeaders.REQUEST_ID), r.key(),
                header(r, DeadLetterHeaders.ERROR_CODE), header(r, DeadLetterHeaders.REASON),
                Instant.ofEpochMilli(r.timestamp()), 0, null);
    }

    /** The record as its producer sent it: our dead-letter headers stripped, the redrive count set. */
    private ProducerRecord<String, byte[]> original(ConsumerRecord<String, byte[]> r, int count) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
            if (!DEAD_LETTER_HEADERS.contains(h.key())) {
                headers.add(h);
            }
        }
        headers.add(REDRIVE_COUNT, Integer.toString(count).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topics.requests(), null, r.key(), r.value(), headers);
    }

    private static int redriveCount(ConsumerRecord<String, byte[]> r) {
        String v = header(r, REDRIVE_COUNT);
        try {
            return v == null ? 0 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void send(Set<ProducerRecord<String, byte[]>> records) throws Exception {
        try (Producer<String, byte[]> p = clients.producer(kafka.requestProducer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            records.forEach(r -> sent.add(p.send(r)));
            p.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Request ids with a succeeded result on the results topic from {@code since} on. */
    private Set<String> succeededSince(Instant since) {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : read(topics.results(), since)) {
            try {
                JsonNode n = json.readTree(r.value());
                if ("succeeded".equals(n.path("status").asText())) {
                    ids.add(n.path("requestId").asText());
                }
            } catch (Exception e) {
                // not a result event: nothing to learn from it
            }
        }
        return ids;
    }

    /** Every committed record of the topic up to its end at the time of the call, from {@code from} on when given. */
    private List<ConsumerRecord<String, byte[]>> read(String topic, Instant from) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (Consumer<String, byte[]> c = clients.consumer(kafka.committedReader())) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return all; // nothing was ever dead-lettered (or published) there
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            c.seekToBeginning(partitions);
            if (from != null) {
                Map<TopicPartition, Long> at = new HashMap<>();
                partitions.forEach(p -> at.put(p, from.toEpochMilli()));
                for (Map.Entry<TopicPartition, OffsetAndTimestamp> e : c.offsetsForTimes(at).entrySet()) {
                    c.seek(e.getKey(), e.getValue() == null ? end.get(e.getKey()) : e.getValue().offset());
                }
            }
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic + " not read to its end within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        all.add(r);
                    }
                }
            }
        }
        return all;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
