package io.scanenhancer.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The record the worker thread is processing, and (once done) its answer.
 *
 * @param crashes earlier attempts at the record during which a process died ({@link CrashMarkers})
 */
record InFlight(ConsumerRecord<String, byte[]> record, Future<Answer> done, int crashes) {
    TopicPartition partition() {
        return new TopicPartition(record.topic(), record.partition());
    }

    boolean isDone() {
        return done.isDone();
    }

    void awaitDone(Duration wait) {
        try {
            done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException | CancellationException e) {
            // still running, or finished badly: the record loop looks at it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
