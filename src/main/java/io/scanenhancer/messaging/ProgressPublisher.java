package io.scanenhancer.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanenhancer.job.JobProgress;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Publishes the {@link JobProgress} of every job to the progress topic (key = request id), so that any replica's REST
 * API can answer for a job another replica runs. Fire and forget, from a thread of its own: a broker that is away
 * must not hold up the study (a send may block until the broker's metadata comes), and a lost progress event only
 * makes a progress bar lag; the result event is what counts. Events queue up to 100 and the oldest go first.
 */
public final class ProgressPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProgressPublisher.class);

    private final Supplier<Producer<String, byte[]>> producers;
    private final String topic;
    private final ObjectMapper json;
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(100), r -> {
                Thread t = new Thread(r, "progress-events");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardOldestPolicy());
    private Producer<String, byte[]> producer;

    /** @param producers makes the producer on the first event */
    public ProgressPublisher(Supplier<Producer<String, byte[]>> producers, String topic, ObjectMapper json) {
        this.producers = producers;
        this.topic = topic;
        this.json = json;
    }

    /** The job's progress listener; announces the job at once (retrieve, nothing done yet). */
    JobProgress.Listener forRequest(StudyRequest request) {
        JobProgress.Listener listener = p -> {
            Instant at = Instant.now();
            sender.execute(() -> send(request, p, at));
        };
        listener.progress(new JobProgress(request.requestId(), JobProgress.RETRIEVE, 0, 0, 0, 0));
        return listener;
    }

    private void send(StudyRequest request, JobProgress p, Instant at) {
        try {
            producer().send(new ProducerRecord<>(topic, request.requestId(),
                    json.writeValueAsBytes(ResultEvents.progress(request, p, at))));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.debugf("progress event for %s not sent: %s", request.requestId(), e.getMessage());
        }
    }

    private synchronized Producer<String, byte[]> producer() {
        if (producer == null) {
            producer = producers.get();
        }
        return producer;
    }

    /** Sends what is queued (for up to 5 s), then closes the producer. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.shutdownNow();
        closeProducer();
    }

    private synchronized void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
