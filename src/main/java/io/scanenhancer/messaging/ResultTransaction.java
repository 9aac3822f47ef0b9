package io.scanenhancer.messaging;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Publishes the answer to one request record (its result event, or its dead letter and failed result) and commits the
 * record's offset in one Kafka transaction (KIP-98, with the consumer group's metadata as in KIP-447). A reader of
 * the result topic with {@code isolation.level=read_committed} therefore sees exactly one answer per request, even
 * when the process dies between the publish and the commit: an answer whose offset was not committed is aborted and
 * the request is redone. Only the polling thread calls it, since it needs the consumer's group metadata.
 */
public final class ResultTransaction implements AutoCloseable {
    enum Outcome { COMMITTED, TOO_LARGE, FAILED }

    private final Supplier<Producer<String, byte[]>> producers;
    private Producer<String, byte[]> producer;
    private String lastError;

    /** @param producers makes a transactional producer ({@link KafkaClients#resultProducer}), again after a fatal error */
    public ResultTransaction(Supplier<Producer<String, byte[]>> producers) {
        this.producers = producers;
    }

    Outcome publishAndCommit(List<ProducerRecord<String, byte[]>> records, TopicPartition partition, long nextOffset,
                             ConsumerGroupMetadata group) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            if (producer == null) {
                producer = producers.get();
                producer.initTransactions(); // fences an earlier producer of this id and ends its open transaction
            }
            producer.beginTransaction();
            for (ProducerRecord<String, byte[]> r : records) {
                sent.add(producer.send(r));
            }
            producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(nextOffset)), group);
            producer.commitTransaction();
            return Outcome.COMMITTED;
        } catch (KafkaException | IllegalStateException e) {
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            boolean tooLarge = causedBy(e, RecordTooLargeException.class) || sent.stream().anyMatch(ResultTransaction::tooLarge);
            abortOrDiscard(e);
            return tooLarge ? Outcome.TOO_LARGE : Outcome.FAILED;
        }
    }

    String lastError() {
        return lastError;
    }

    /**
     * After an abortable error the producer aborts and is used again; after a fatal one (fenced, a timed-out commit
     * that may not be aborted, a producer that never got its id) it is closed and the next call makes a new one.
     */
    private void abortOrDiscard(RuntimeException e) {
        if (producer == null) {
            return;
        }
        boolean fatal = e instanceof ProducerFencedException || e instanceof OutOfOrderSequenceException
                || e instanceof AuthorizationException || e instanceof UnsupportedVersionException
                || e instanceof FencedInstanceIdException || e instanceof TimeoutException || e instanceof IllegalStateException;
        if (!fatal) {
            try {
                producer.abortTransaction();
                return;
            } catch (KafkaException | IllegalStateException abortFailed) {
                // fall through: start again with a new producer
            }
        }
        discard();
    }

    private void discard() {
        try {
            producer.close(Duration.ZERO);
        } catch (KafkaException ignored) {
            // already broken
        }
        producer = null;
    }

    private static boolean tooLarge(Future<RecordMetadata> f) {
        if (!f.isDone()) {
            return false;
        }
        try {
            f.get();
            return false;
        } catch (ExecutionException e) {
            return causedBy(e, RecordTooLargeException.class);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
