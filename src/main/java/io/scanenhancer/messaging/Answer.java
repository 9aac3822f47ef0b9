package io.scanenhancer.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.List;

/**
 * What the worker hands the record loop for one record: the records to publish in the transaction that commits its
 * offset (and the same without the request's value, should the dead-letter topic refuse it as too large), and what to
 * do once that transaction is committed; {@link #AGAIN}: nothing to publish, the record is to be tried again.
 *
 * @param deadLetter the answer is a dead letter (and, when the request parsed, a failed result)
 */
record Answer(List<ProducerRecord<String, byte[]>> records, List<ProducerRecord<String, byte[]>> withoutValue,
              Runnable published, boolean deadLetter) {
    static final Answer AGAIN = new Answer(null, null, null, false);

    static Answer succeeded(ProducerRecord<String, byte[]> result, Runnable published) {
        return new Answer(List.of(result), null, published, false);
    }

    boolean again() {
        return records == null;
    }

    /** A record whose study is done and whose answer waits to be published with the offset commit. */
    record Pending(ConsumerRecord<String, byte[]> record, Answer answer) {
        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }
}
