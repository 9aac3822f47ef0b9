package io.scanenhancer.messaging;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Poison-pill quarantine: how many times a request has taken the process down with it (out of memory, native crash,
 * SIGKILL), counted across restarts, so that such a request is dead-lettered instead of crash-looping the service
 * (README "Quarantine of requests that kill the service").
 *
 * <p>The marker is the consumer group's committed offset itself. Before the worker starts on record N, the polling
 * thread commits offset N (the record's own, so nothing is skipped) with metadata naming this process and the crashes
 * so far, synchronously. The transaction that publishes the record's answer commits N+1 without metadata, which clears
 * the marker atomically with the answer. A process that finds, at the offset it is about to process, a marker written
 * by another process knows that the other one stopped during its attempt: one crash more.
 *
 * <p>Why not a compacted topic of markers: the marker would need its own producer, topic, compaction settings and a
 * read of that topic at every assignment, and its tombstone could disagree with the offset (an operator's offset
 * reset, a lost write); in the committed offset, marker and position are one value in {@code __consumer_offsets},
 * kept as long as the group's offsets are, and Kafka's group coordinator keeps the later of a plain and a
 * transactional commit. Only the polling thread calls it (the consumer is not thread-safe).
 */
final class CrashMarkers {
    private static final Logger LOG = Logger.getLogger(CrashMarkers.class);
    /** Written by a process that let go of its attempt alive (shutdown grace over): no crash to count. */
    static final String NOBODY = "-";
    private static final String PREFIX = "scan-enhancer-attempt/v1";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final int maxCrashes;
    /** This process (this consumer's lifetime): a marker it wrote itself was an attempt that ended without a crash. */
    private final String self = UUID.randomUUID().toString();

    /**
     * @param crashes attempts at the record during which a process died
     * @param spent   the budget is used up: the record is dead-lettered, not processed
     */
    record Verdict(int crashes, boolean spent) {
    }

    CrashMarkers(int maxCrashes) {
        this.maxCrashes = maxCrashes;
    }

    int max() {
        return maxCrashes;
    }

    /**
     * Reads the record's marker and, unless the budget is spent, writes the marker of the attempt about to start.
     *
     * @throws org.apache.kafka.common.KafkaException when the marker cannot be read or written: then the record must
     *                                                not be processed, or one that kills the process would loop for ever
     */
    Verdict beforeAttempt(Consumer<String, byte[]> consumer, ConsumerRecord<String, byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        OffsetAndMetadata committed = consumer.committed(Set.of(tp), TIMEOUT).get(tp);
        int crashes = crashesBefore(committed, record.offset(), self);
        if (crashes >= maxCrashes) {
            return new Verdict(crashes, true);
        }
        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(record.offset(), encode(crashes, self))), TIMEOUT);
        return new Verdict(crashes, false);
    }

    /**
     * {@link #beforeAttempt}, for the record loop: null when the marker could not be committed, and then the record
     * is rewound for a later poll (unmarked, an attempt that kills the process would not be counted).
     */
    Verdict admit(Consumer<String, byte[]> consumer, ConsumerRecord<String, byte[]> record) {
        Verdict verdict;
        try {
            verdict = beforeAttempt(consumer, record);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warnf("could not commit the attempt marker of %s, will try again: %s", Attempts.where(record), e.toString());
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            if (consumer.assignment().contains(tp)) {
                consumer.seek(tp, record.offset());
            }
            return null;
        }
        if (verdict.crashes() > 0 && !verdict.spent()) {
            LOG.warnf("record %s: the process died during %d earlier attempt(s); attempt %d of at most %d",
                    Attempts.where(record), verdict.crashes(), verdict.crashes() + 1, maxCrashes);
        }
        return verdict;
    }

    /** {@link #release}, for the record loop at shutdown: a failure only means the next start counts one crash too many. */
    void releaseQuietly(Consumer<String, byte[]> consumer, InFlight f) {
        if (f == null || !consumer.assignment().contains(f.partition())) {
            return;
        }
        try {
            release(consumer, f.record(), f.crashes());
        } catch (KafkaException e) {
            LOG.warnf("could not release the attempt marker of %s; the next start counts it as a crash: %s",
                    Attempts.where(f.record()), e.toString());
        }
    }

    /** The attempt is let go alive (shutdown grace over): the next process must not count it as a crash. */
    void release(Consumer<String, byte[]> consumer, ConsumerRecord<String, byte[]> record, int crashes) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(record.offset(), encode(crashes, NOBODY))), TIMEOUT);
    }

    /**
     * Crashes so far at the record at {@code offset}, given the group's committed offset: a marker of another process
     * at that very offset means that process died during its attempt (or lost the partition during it, a hand-over).
     */
    static int crashesBefore(OffsetAndMetadata committed, long offset, String self) {
        if (committed == null || committed.offset() != offset) {
            return 0;
        }
        Marker m = decode(committed.metadata());
        if (m == null) {
            return 0;
        }
        return m.owner().equals(self) || m.owner().equals(NOBODY) ? m.crashes() : m.crashes() + 1;
    }

    record Marker(int crashes, String owner) {
    }

    static String encode(int crashes, String owner) {
        return PREFIX + ";crashes=" + crashes + ";owner=" + owner;
    }

    /** Null for anything that is not a marker (an answer's commit has empty metadata). */
    static Marker decode(String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX + ";")) {
            return null;
        }
        Integer crashes = null;
        String owner = null;
        for (String part : metadata.substring(PREFIX.length() + 1).split(";")) {
            if (part.startsWith("crashes=")) {
                try {
                    crashes = Integer.parseInt(part.substring("crashes=".length()));
                } catch (NumberFormatException e) {
                    return null;
                }
            } else if (part.startsWith("owner=")) {
                owner = part.substring("owner=".length());
            }
        }
        return crashes == null || owner == null || owner.isEmpty() ? null : new Marker(crashes, owner);
    }
}
