package io.scanenhancer.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.job.EnhanceStudyCommand;
import io.scanenhancer.job.EnhanceStudyJob;
import io.scanenhancer.job.SynthesizeStudyJob;
import io.scanenhancer.job.JobProgress;
import io.scanenhancer.job.RejectedRequestException;
import io.scanenhancer.job.StudyOutcome;
import io.scanenhancer.pacs.PacsException;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumes request events one at a time and commits an offset only when the request is finished: derived series
 * stored and result published, or record published to the dead-letter topic. A crash anywhere before the commit
 * means the record is consumed again; that is safe because derived UIDs are deterministic.
 *
 * <p>Two threads: the polling thread owns the Kafka consumer (which is not thread-safe) and commits; a study runs on
 * the worker thread while the polling thread keeps polling with the partitions paused, so a study longer than
 * max.poll.interval.ms does not make the group drop this consumer and hand its record to another.
 *
 * <p>Plain Kafka clients on dedicated threads (not SmallRye Reactive Messaging) because the commit point is then
 * one visible line, the dead-letter headers are ours, and the same class runs in the Quarkus service, the demo and
 * the tests without CDI.
 */
public final class StudyRequestConsumer implements Runnable, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StudyRequestConsumer.class);
    /** A request is a few hundred bytes; anything this large is refused before it is decoded or parsed. */
    public static final int MAX_VALUE_BYTES = 1 << 20;
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    private static final Duration POLL_WHILE_BUSY = Duration.ofMillis(200);

    /**
     * @param maxAttempts     attempts for a request that fails for a transient reason (PACS down) before it is
     *                        dead-lettered
     * @param retryBackoff    pause before such a request is tried the second time; doubled for each further attempt
     * @param maxRetryBackoff the longest such pause
     * @param maxPollInterval Kafka max.poll.interval.ms: how long the polling thread may stall before the group drops
     *                        this consumer. Studies run on a worker thread while polling goes on, so a study may take
     *                        longer than this.
     */
    public record Options(String bootstrapServers, String groupId, Topics topics, int maxAttempts,
                          Duration retryBackoff, Duration maxRetryBackoff, Duration maxPollInterval) {
        public Options(String bootstrapServers, String groupId, Topics topics, int maxAttempts, Duration retryBackoff,
                       Duration maxPollInterval) {
            this(bootstrapServers, groupId, topics, maxAttempts, retryBackoff, retryBackoff.multipliedBy(16), maxPollInterval);
        }

        public static Options defaults(String bootstrapServers, String groupId) {
            return new Options(bootstrapServers, groupId, Topics.defaults(), 5, Duration.ofSeconds(5), Duration.ofMinutes(2),
                    Duration.ofMinutes(5));
        }
    }

    private final Options options;
    private final EnhanceStudyJob job;
    private final SynthesizeStudyJob synthesis;
    private final ObjectMapper json;
    private final RequestParser parser;
    /** Failed attempts per record (topic-partition@offset); the worker writes, the polling thread reads. */
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final AtomicLong rebalances = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile boolean running = true;
    private volatile Instant lastPoll = Instant.now();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile Throwable crash;
    private volatile RequestListener listener = RequestListener.NONE;
    private volatile Map<String, Object> clientOverrides = Map.of();
    private volatile Map<String, Object> securitySettings = Map.of();
    private volatile String progressTopic;
    private volatile Duration shutdownGrace = Duration.ofSeconds(30);
    /** The study the worker thread is on; only the polling thread sets it. */
    private volatile InFlight inFlight;
    /** While set, the partitions stay paused: the back-off before the next attempt at a record. */
    private Instant retryAt;
    private volatile boolean abandoned;

    public StudyRequestConsumer(Options options, EnhanceStudyJob job, ObjectMapper json) {
        this(options, job, null, json);
    }

    /** @param synthesis runs synthesize requests; null for a service that only enhances (they are dead-lettered) */
    public StudyRequestConsumer(Options options, EnhanceStudyJob job, SynthesizeStudyJob synthesis, ObjectMapper json) {
        this.options = options;
        this.job = job;
        this.synthesis = synthesis;
        this.json = json;
        this.parser = new RequestParser(json);
    }

    /** Call before {@link #start()}. */
    public StudyRequestConsumer withListener(RequestListener listener) {
        this.listener = listener;
        return this;
    }

    /** Kafka consumer settings on top of the ones this class needs (session timeout, group.instance.id). Before start(). */
    public StudyRequestConsumer withConsumerSettings(Map<String, Object> settings) {
        this.clientOverrides = Map.copyOf(settings);
        return this;
    }

    /**
     * Kafka client security settings (security.protocol, ssl.*, sasl.*) for both the consumer and the producer: a
     * broker that requires TLS or SASL refuses either client without them. Before start().
     */
    public StudyRequestConsumer withSecuritySettings(Map<String, Object> settings) {
        this.securitySettings = Map.copyOf(settings);
        return this;
    }

    /**
     * Publishes {@link JobProgress} events of every job to {@code topic} (key = request id), so that any replica's
     * REST API can answer for a job another replica runs. Call before {@link #start()}.
     */
    public StudyRequestConsumer publishProgressTo(String topic) {
        this.progressTopic = topic;
        return this;
    }

    /**
     * How long {@link #close()} lets the study in progress finish (stored, result published, offset committed) before
     * it abandons the study uncommitted, so the next consumer of the partition does it again. Before start().
     */
    public StudyRequestConsumer withShutdownGrace(Duration grace) {
        this.shutdownGrace = grace;
        return this;
    }

    /** Starts the loop on its own (non-daemon) thread. */
    public StudyRequestConsumer start() {
        thread = new Thread(this, "study-request-consumer");
        thread.start();
        return this;
    }

    /** The polling thread runs and has polled within max.poll.interval (a study in progress does not stop it polling). */
    public boolean alive() {
        return thread != null && thread.isAlive() && crash == null
                && Duration.between(lastPoll, Instant.now()).compareTo(options.maxPollInterval()) < 0;
    }

    public Instant lastPoll() {
        return lastPoll;
    }

    public long succeeded() {
        return succeeded.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    @Override
    public void run() {
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "study-worker"));
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProperties());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties())) {
            consumer = c;
            c.subscribe(List.of(options.topics().requests()), new HandOver(c));
            while (running || inFlight != null) {
                if (inFlight != null) {
                    inFlight.awaitDone(POLL_WHILE_BUSY); // so a finished study is committed at once, not after a poll
                }
                ConsumerRecords<String, byte[]> records = c.poll(pollTimeout());
                lastPoll = Instant.now();
                reportLag(c);
                if (inFlight != null) {
                    // the partitions are paused while a study runs; one assigned during a rebalance may still deliver
                    // records, which go back to be fetched again once the study is finished
                    rewind(c, records);
                    if (abandoned) {
                        break; // close() gave up waiting: leave the record uncommitted for the next consumer
                    }
                    if (inFlight.isDone()) {
                        finishInFlight(c);
                    }
                    continue;
                }
                if (retryAt != null) {
                    rewind(c, records);
                    if (Instant.now().isBefore(retryAt) && running) {
                        continue; // back-off between attempts, polling all the while so the group keeps us
                    }
                    retryAt = null;
                    c.resume(c.paused());
                    continue;
                }
                if (!running || records.isEmpty()) {
                    continue;
                }
                ConsumerRecord<String, byte[]> record = records.iterator().next();
                rewind(c, records, record); // max.poll.records is 1, but a rebalance can hand over more
                c.pause(c.assignment());
                inFlight = new InFlight(record, worker.submit(() -> handle(record, producer)));
            }
        } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
            if (running) {
                crash = e;
                throw e;
            }
        } catch (RuntimeException | Error e) {
            crash = e;
            LOG.error("request consumer stopped", e);
            throw e;
        } finally {
            worker.shutdownNow();
        }
    }

    /** The record a worker thread is processing, and its answer: true when finished and its offset may be committed. */
    private record InFlight(ConsumerRecord<String, byte[]> record, Future<Boolean> done) {
        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }

        boolean isDone() {
            return done.isDone();
        }

        void awaitDone(Duration wait) {
            try {
                done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException | java.util.concurrent.CancellationException e) {
                // still running, or finished badly: finishInFlight looks at it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Idle: wait up to 500 ms for records. Busy: the wait was on the study, the poll only keeps the membership. */
    private Duration pollTimeout() {
        if (inFlight != null) {
            return Duration.ZERO;
        }
        if (retryAt != null) {
            Duration left = Duration.between(Instant.now(), retryAt);
            return left.isNegative() ? Duration.ZERO : left.compareTo(IDLE_POLL) < 0 ? left : IDLE_POLL;
        }
        return IDLE_POLL;
    }

    /** On the polling thread, once the worker is done: commit, or rewind and back off before the next attempt. */
    private void finishInFlight(KafkaConsumer<String, byte[]> c) {
        InFlight f = inFlight;
        inFlight = null;
        TopicPartition tp = f.partition();
        boolean finished;
        try {
            finished = f.done().get();
        } catch (ExecutionException e) {
            crash = e.getCause();
            throw new IllegalStateException("study worker failed", e.getCause());
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
            finished = false;
        }
        if (finished) {
            if (c.assignment().contains(tp)) {
                commit(c, tp, f.record().offset() + 1);
            }
            c.resume(c.paused());
            return;
        }
        if (c.assignment().contains(tp)) {
            c.seek(tp, f.record().offset()); // not done: consume it again after the back-off
        }
        retryAt = Instant.now().plus(backoff(where(f.record())));
    }

    private Duration backoff(String where) {
        Integer n = attempts.get(where);
        return backoff(n == null ? 1 : n, options.retryBackoff(), options.maxRetryBackoff());
    }

    /**
     * Exponential back-off for a PACS that keeps failing: base after the first failed attempt, then 2x, 4x, ... up
     * to max. Anything else tried again (the broker away while the result is published) counts as a first failure.
     */
    static Duration backoff(int failedAttempts, Duration base, Duration max) {
        Duration d = base.multipliedBy(1L << Math.min(Math.max(failedAttempts, 1) - 1, 20));
        return d.compareTo(max) > 0 ? max : d;
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** Seeks every partition in {@code records} back to its first record, except {@code keep}'s, which is taken. */
    private static void rewind(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records,
                               ConsumerRecord<String, byte[]> keep) {
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> rs = records.records(tp);
            if (keep != null && tp.equals(new TopicPartition(keep.topic(), keep.partition()))) {
                if (rs.size() > 1) {
                    c.seek(tp, rs.get(1).offset());
                }
            } else {
                c.seek(tp, rs.get(0).offset());
            }
        }
    }

    private static void rewind(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        rewind(c, records, null);
        if (!records.isEmpty()) {
            c.pause(c.assignment());
        }
    }

    /**
     * A rebalance (another replica joining or leaving) while a study runs: the partition is handed over only after the
     * study is finished and committed, waited for up to the shutdown grace, so the next owner does not do it again. The
     * wait runs inside poll(), within the group's rebalance timeout (max.poll.interval.ms).
     */
    private final class HandOver implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> c;

        HandOver(KafkaConsumer<String, byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                rebalances.incrementAndGet();
            }
            InFlight f = inFlight;
            if (f == null || !partitions.contains(f.partition())) {
                return;
            }
            Duration wait = shutdownGrace.compareTo(options.maxPollInterval().dividedBy(2)) < 0 ? shutdownGrace
                    : options.maxPollInterval().dividedBy(2);
            try {
                f.done().get(wait.toMillis(), TimeUnit.MILLISECONDS);
                finishInFlight(c);
                LOG.infof("partition %s handed over after its study finished", f.partition());
            } catch (TimeoutException e) {
                LOG.warnf("partition %s handed over while its study still runs: the next owner will redo it", f.partition());
            } catch (ExecutionException | InterruptedException | java.util.concurrent.CancellationException e) {
                // finishInFlight on the next poll reports it
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (inFlight != null || retryAt != null) {
                c.pause(partitions); // one study at a time, whatever the group hands us meanwhile
            }
        }
    }

    /** Rebalances this consumer has seen that took partitions from it; a long study alone must not cause one. */
    public long rebalances() {
        return rebalances.get();
    }

    private void reportLag(KafkaConsumer<String, byte[]> c) {
        long lag = 0;
        for (TopicPartition tp : c.assignment()) {
            lag += c.currentLag(tp).orElse(0);
        }
        listener.lag(lag);
    }

    private static void commit(KafkaConsumer<String, byte[]> c, TopicPartition tp, long next) {
        try {
            c.commitSync(Map.of(tp, new OffsetAndMetadata(next)));
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // the partition moved to another consumer, which will process the record again: harmless,
            // the derived UIDs are the same and the store sends only what is missing
            LOG.warnf("could not commit %s (partition reassigned): %s", tp, e.getMessage());
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            // broker away longer than the commit timeout: the next record's commit covers this offset; a crash
            // before then redoes the record, which is harmless for the same reason
            LOG.warnf("could not commit %s (broker unreachable): %s", tp, e.getMessage());
        }
    }

    /** @return true when the record is finished (result or dead letter published) and its offset may be committed */
    private boolean handle(ConsumerRecord<String, byte[]> record, KafkaProducer<String, byte[]> producer) {
        listener.started();
        try {
            return process(record, producer);
        } finally {
            listener.finished();
        }
    }

    private boolean process(ConsumerRecord<String, byte[]> record, KafkaProducer<String, byte[]> producer) {
        String where = where(record);
        String value;
        StudyRequest request;
        try {
            if (record.value() != null && record.value().length > MAX_VALUE_BYTES) {
                throw new InvalidRequestException("value is " + record.value().length + " bytes, more than the "
                        + MAX_VALUE_BYTES + " bytes a request may have");
            }
            value = utf8(record.value());
            request = parser.parse(value);
        } catch (InvalidRequestException e) {
            LOG.warnf("record %s is not a valid request: %s", where, e.getMessage());
            return deadLetter(record, producer, "invalid-request", e.getMessage(), e, null);
        }
        if (request.isSynthesize()) {
            LOG.infof("request %s for a synthetic study of %d slices (record %s)", request.requestId(), request.count(), where);
        } else {
            LOG.infof("request %s for study %s (record %s)", request.requestId(), request.studyInstanceUid(), where);
        }
        try {
            if (request.isSynthesize()) {
                if (synthesis == null) {
                    throw new RejectedRequestException("synthesis-unavailable", "this service does not run synthesize requests");
                }
                SynthesizeStudyJob.Outcome o = synthesis.run(new SynthesizeStudyJob.Command(request.requestId(), request.targetPacs(),
                        request.count(), request.seed() == null ? 0 : request.seed()));
                if (abandoned) {
                    LOG.warnf("request %s abandoned at shutdown after the store, left uncommitted", request.requestId());
                    return false;
                }
                publish(producer, new ProducerRecord<>(options.topics().results(), o.studyInstanceUid(),
                        json.writeValueAsBytes(synthesized(request, o))));
                attempts.remove(where);
                succeeded.incrementAndGet();
                LOG.infof("request %s done: synthetic series %s, %d of %d slices published (%d sent now), %d rejected by the memorisation audit",
                        request.requestId(), o.seriesInstanceUid(), o.generated() - o.rejected(), o.generated(), o.stored(), o.rejected());
                return true;
            }
            StudyOutcome outcome = job.run(command(request), progressListener(producer, request));
            if (abandoned) {
                // the grace ran out while the study was stored: no result and no commit, so the next consumer redoes
                // it, finds the stored instances and publishes the one result
                LOG.warnf("request %s abandoned at shutdown after the store, left uncommitted", request.requestId());
                return false;
            }
            publish(producer, new ProducerRecord<>(options.topics().results(), request.studyInstanceUid(),
                    json.writeValueAsBytes(success(request, outcome))));
            attempts.remove(where);
            succeeded.incrementAndGet();
            listener.succeeded(outcome.timings());
            LOG.infof("request %s done: %s", request.requestId(), outcome.series().stream()
                    .map(StudyOutcome.SeriesOutcome::derivedSeriesInstanceUid).toList());
            return true;
        } catch (RejectedRequestException e) {
            LOG.warnf("request %s rejected (%s): %s", request.requestId(), e.code(), e.reason());
            return deadLetter(record, producer, e.code(), e.reason(), e, request);
        } catch (PacsException e) {
            if (!e.transientFailure()) {
                return deadLetter(record, producer, "pacs-refused", e.getMessage(), e, request);
            }
            int n = attempts.merge(where, 1, Integer::sum);
            if (n >= options.maxAttempts()) {
                attempts.remove(where);
                return deadLetter(record, producer, "pacs-unavailable",
                        "gave up after " + n + " attempts: " + e.getMessage(), e, request);
            }
            LOG.warnf("request %s: attempt %d of %d failed, will retry: %s", request.requestId(), n,
                    options.maxAttempts(), e.getMessage());
            listener.retrying("pacs-unavailable");
            return false;
        } catch (KafkaPublishException e) {
            LOG.warnf("request %s: could not publish the result, will process again: %s", request.requestId(),
                    e.getMessage());
            listener.retrying("kafka-unavailable");
            return false;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            if (!running) {
                // close() interrupted the study (shutdown grace over): not the request's fault, leave it uncommitted
                LOG.warnf("request %s interrupted by shutdown, left uncommitted (%s)", request.requestId(),
                        e.getClass().getSimpleName());
                return false;
            }
            // a bug or an enhancer failure on this input: dead-letter it rather than block the partition forever
            LOG.errorf(e, "request %s failed unexpectedly", request.requestId());
            return deadLetter(record, producer, "internal-error", e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e, request);
        }
    }

    private boolean deadLetter(ConsumerRecord<String, byte[]> record, KafkaProducer<String, byte[]> producer, String code,
                               String reason, Throwable error, StudyRequest request) {
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(headers::add);
        headers.add(DeadLetterHeaders.REASON, bytes(reason));
        headers.add(DeadLetterHeaders.ERROR_CODE, bytes(code));
        headers.add(DeadLetterHeaders.ERROR_CLASS, bytes(error.getClass().getName()));
        headers.add(DeadLetterHeaders.ORIGINAL_TOPIC, bytes(record.topic()));
        headers.add(DeadLetterHeaders.ORIGINAL_PARTITION, bytes(Integer.toString(record.partition())));
        headers.add(DeadLetterHeaders.ORIGINAL_OFFSET, bytes(Long.toString(record.offset())));
        String requestId = request != null ? request.requestId()
                : record.value() == null || record.value().length > MAX_VALUE_BYTES ? null
                : parser.requestIdOrNull(new String(record.value(), StandardCharsets.UTF_8));
        if (requestId != null) {
            headers.add(DeadLetterHeaders.REQUEST_ID, bytes(requestId));
        }
        try {
            publishDeadLetter(producer, record, headers);
            if (request != null) {
                publish(producer, new ProducerRecord<>(options.topics().results(), request.studyInstanceUid(),
                        json.writeValueAsBytes(failure(request, code, reason))));
            }
            deadLettered.incrementAndGet();
            listener.failed(code);
            return true;
        } catch (KafkaPublishException e) {
            LOG.warnf("could not publish dead letter for %s, will retry: %s", record.offset(), e.getMessage());
            listener.retrying("kafka-unavailable");
            return false;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A value the dead-letter topic cannot take (larger than its max.message.bytes or the producer's max.request.size)
     * would be refused on every retry and block the partition: it goes there without its value, with its size.
     */
    private void publishDeadLetter(KafkaProducer<String, byte[]> producer, ConsumerRecord<String, byte[]> record,
                                   RecordHeaders headers) throws KafkaPublishException {
        try {
            publish(producer, new ProducerRecord<>(options.topics().deadLetters(), null, record.key(), record.value(), headers));
        } catch (KafkaPublishException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.RecordTooLargeException)) {
                throw e;
            }
            headers.add(DeadLetterHeaders.VALUE_OMITTED, bytes(record.value().length
                    + " bytes, too large for the dead-letter topic"));
            publish(producer, new ProducerRecord<>(options.topics().deadLetters(), null, record.key(), null, headers));
        }
    }

    private static final class KafkaPublishException extends Exception {
        KafkaPublishException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static void publish(KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> record)
            throws KafkaPublishException {
        try {
            producer.send(record).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new KafkaPublishException(e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaPublishException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaPublishException(e);
        }
    }

    /** Fire and forget: a lost progress event only makes a progress bar lag; the result event is what counts. */
    private JobProgress.Listener progressListener(KafkaProducer<String, byte[]> producer, StudyRequest request) {
        String topic = progressTopic;
        if (topic == null) {
            return JobProgress.Listener.NONE;
        }
        JobProgress.Listener listener = p -> {
            try {
                producer.send(new ProducerRecord<>(topic, request.requestId(), json.writeValueAsBytes(
                        new ProgressEvent(request.requestId(), request.studyInstanceUid(), p.stage(), p.total(),
                                p.retrieved(), p.enhanced(), p.stored(), Instant.now().toString()))));
            } catch (JsonProcessingException | RuntimeException e) {
                LOG.debugf("progress event for %s not sent: %s", request.requestId(), e.getMessage());
            }
        };
        listener.progress(new JobProgress(request.requestId(), JobProgress.RETRIEVE, 0, 0, 0, 0));
        return listener;
    }

    static EnhanceStudyCommand command(StudyRequest r) {
        StudyRequest.Sampler s = r.sampler();
        EnhanceSettings settings = new EnhanceSettings(s == null ? null : s.name(), s == null ? null : s.steps(),
                s == null ? null : s.samples(), r.seed(), s == null ? null : s.strength(), r.uncertainty());
        return new EnhanceStudyCommand(r.requestId(), r.studyInstanceUid(), r.seriesInstanceUids(), r.sourcePacs(),
                r.targetPacs(), r.scale() == null ? 2 : r.scale(), settings, r.batchSize());
    }

    static StudyResult success(StudyRequest r, StudyOutcome o) {
        List<StudyResult.Series> series = o.series().stream().map(s -> new StudyResult.Series(
                s.sourceSeriesInstanceUid(), s.derivedSeriesInstanceUid(), s.sourceInstances(), s.derivedInstances(),
                s.storedInstances(), s.alreadyPresentInstances(), s.uncertaintySeriesInstanceUid())).toList();
        StudyResult.TimingsMs t = new StudyResult.TimingsMs(o.timings().retrieveMs(), o.timings().enhanceMs(),
                o.timings().storeMs(), o.timings().totalMs());
        return new StudyResult(r.requestId(), StudyResult.SUCCEEDED, r.studyInstanceUid(), r.sourcePacs(), r.targetPacs(),
                series, o.modelId(), o.modelVersion(), o.method(), o.outOfDistribution(), t, null, null,
                Instant.now().toString());
    }

    static StudyResult synthesized(StudyRequest r, SynthesizeStudyJob.Outcome o) {
        StudyResult.Series series = new StudyResult.Series(null, o.seriesInstanceUid(), 0, o.generated() - o.rejected(),
                o.stored(), o.generated() - o.rejected() - o.stored(), null);
        StudyResult.TimingsMs t = new StudyResult.TimingsMs(0, o.synthesizeMs(), o.storeMs(), o.synthesizeMs() + o.storeMs());
        StudyResult.MemorisationAudit audit = new StudyResult.MemorisationAudit(o.generated(), o.generated() - o.rejected(), o.rejected(),
                o.closestDistance(), o.threshold(), io.scanenhancer.synthesis.MemorisationAudit.METRIC);
        return new StudyResult(r.requestId(), StudyResult.SUCCEEDED, o.studyInstanceUid(), null, r.targetPacs(), List.of(series),
                o.modelId(), o.modelVersion(), o.method(), null, t, null, null, Instant.now().toString(), r.operation(), audit);
    }

    static StudyResult failure(StudyRequest r, String code, String reason) {
        return new StudyResult(r.requestId(), StudyResult.FAILED, r.studyInstanceUid(), r.sourcePacs(), r.targetPacs(),
                List.of(), null, null, null, null, null, reason, code, Instant.now().toString(),
                r.isSynthesize() ? r.operation() : null, null);
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, options.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1); // one study at a time
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) options.maxPollInterval().toMillis());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.putAll(securitySettings);
        p.putAll(clientOverrides);
        return p;
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.putAll(securitySettings);
        return p;
    }

    private static String utf8(byte[] value) throws InvalidRequestException {
        if (value == null) {
            throw new InvalidRequestException("empty record value");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException("not JSON: the value is not UTF-8 text", e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Stops taking records and lets the study in progress finish (stored, result published, offset committed) within
     * the shutdown grace, polling all the while; after that the study is interrupted and left uncommitted, so the next
     * consumer of the partition does it again.
     */
    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(Math.max(1, shutdownGrace.toMillis()));
            if (t.isAlive()) {
                LOG.warnf("study still in progress after the shutdown grace of %s: abandoned uncommitted", shutdownGrace);
                abandoned = true;
                InFlight f = inFlight;
                if (f != null) {
                    f.done().cancel(true); // PACS calls and the result publish end at once
                }
                t.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
