package io.scanenhancer.messaging;

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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
 * stored, then its result event, or its dead letter and failed result, published in the same Kafka transaction as the
 * offset commit ({@link ResultTransaction}). A crash anywhere before that commit means the record is consumed again;
 * that is safe because derived UIDs are deterministic and the store sends only what is missing, and a
 * read_committed reader of the result topic sees one answer per request.
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
    /** While set, the partitions stay paused: the back-off before the next attempt at a record or at its answer. */
    private Instant retryAt;
    /** Only the polling thread uses these two. */
    private Unpublished unpublished;
    private ResultTransaction transaction;
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
             KafkaProducer<String, byte[]> progress = new KafkaProducer<>(producerProperties());
             ResultTransaction answers = new ResultTransaction(transactionalProducerProperties())) {
            consumer = c;
            transaction = answers;
            c.subscribe(List.of(options.topics().requests()), new HandOver(c));
            while (running || inFlight != null || unpublished != null) {
                if (abandoned) {
                    break; // close() gave up waiting: leave the record uncommitted for the next consumer
                }
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
                    if (unpublished != null) {
                        publishAnswer(c); // the study is done; only its answer and commit are tried again
                    } else {
                        c.resume(c.paused());
                    }
                    continue;
                }
                if (!running || records.isEmpty()) {
                    continue;
                }
                ConsumerRecord<String, byte[]> record = records.iterator().next();
                rewind(c, records, record); // max.poll.records is 1, but a rebalance can hand over more
                c.pause(c.assignment());
                inFlight = new InFlight(record, worker.submit(() -> handle(record, progress)));
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

    /** The record a worker thread is processing, and (once done) its answer. */
    private record InFlight(ConsumerRecord<String, byte[]> record, Future<Answer> done) {
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

    /**
     * On the polling thread, once the worker is done: publish its answer and commit in one transaction, or rewind and
     * back off before the next attempt.
     */
    private void finishInFlight(KafkaConsumer<String, byte[]> c) {
        InFlight f = inFlight;
        inFlight = null;
        TopicPartition tp = f.partition();
        Answer answer;
        try {
            answer = f.done().get();
        } catch (ExecutionException e) {
            crash = e.getCause();
            throw new IllegalStateException("study worker failed", e.getCause());
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
            answer = Answer.AGAIN;
        }
        if (!answer.again()) {
            unpublished = new Unpublished(f.record(), answer);
            publishAnswer(c);
            return;
        }
        if (c.assignment().contains(tp)) {
            c.seek(tp, f.record().offset()); // not done: consume it again after the back-off
        }
        retryAt = Instant.now().plus(backoff(where(f.record())));
    }

    /** A record whose study is done and whose answer is not yet published and committed. */
    private record Unpublished(ConsumerRecord<String, byte[]> record, Answer answer) {
        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    private void publishAnswer(KafkaConsumer<String, byte[]> c) {
        Unpublished u = unpublished;
        TopicPartition tp = u.partition();
        if (!c.assignment().contains(tp)) {
            // the partition moved to another consumer, which will process the record again: harmless, the derived
            // UIDs are the same and the store sends only what is missing
            unpublished = null;
            LOG.warnf("%s went to another consumer before its answer was committed: it will be done there", where(u.record()));
            c.resume(c.paused());
            return;
        }
        long next = u.record().offset() + 1;
        ResultTransaction.Outcome outcome = transaction.publishAndCommit(u.answer().records(), tp, next, c.groupMetadata());
        if (outcome == ResultTransaction.Outcome.TOO_LARGE && u.answer().withoutValue() != null) {
            outcome = transaction.publishAndCommit(u.answer().withoutValue(), tp, next, c.groupMetadata());
        }
        if (outcome == ResultTransaction.Outcome.COMMITTED) {
            unpublished = null;
            u.answer().published().run();
            c.resume(c.paused());
            return;
        }
        LOG.warnf("could not publish the answer to %s and commit, will try again: %s", where(u.record()), transaction.lastError());
        listener.retrying("kafka-unavailable");
        retryAt = Instant.now().plus(options.retryBackoff());
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
            Unpublished u = unpublished;
            if (u != null && partitions.contains(u.partition())) {
                retryAt = null;
                publishAnswer(c); // one last try while the partition is still ours
                if (unpublished != null) {
                    unpublished = null; // its next owner redoes the record
                }
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
            if (inFlight != null || retryAt != null || unpublished != null) {
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

    /** On the worker thread: does the request and says what to publish with the commit, or to try again later. */
    private Answer handle(ConsumerRecord<String, byte[]> record, KafkaProducer<String, byte[]> progress) {
        listener.started();
        try {
            return process(record, progress);
        } finally {
            listener.finished();
        }
    }

    private Answer process(ConsumerRecord<String, byte[]> record, KafkaProducer<String, byte[]> producer) {
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
            return deadLetter(record, "invalid-request", e.getMessage(), e, null);
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
                        request.count(), request.seed() == null ? 0 : request.seed(), request.spacing(), request.renderer()));
                if (abandoned) {
                    LOG.warnf("request %s abandoned at shutdown after the store, left uncommitted", request.requestId());
                    return Answer.AGAIN;
                }
                return new Answer(List.of(new ProducerRecord<>(options.topics().results(), o.studyInstanceUid(),
                        json.writeValueAsBytes(synthesized(request, o)))), null, () -> {
                    attempts.remove(where);
                    succeeded.incrementAndGet();
                    LOG.infof("request %s done: synthetic series %s, %d of %d slices published (%d sent now), %d rejected by the memorisation audit",
                            request.requestId(), o.seriesInstanceUid(), o.generated() - o.rejected(), o.generated(), o.stored(), o.rejected());
                });
            }
            StudyOutcome outcome = job.run(command(request), progressListener(producer, request));
            if (abandoned) {
                // the grace ran out while the study was stored: no result and no commit, so the next consumer redoes
                // it, finds the stored instances and publishes the one result
                LOG.warnf("request %s abandoned at shutdown after the store, left uncommitted", request.requestId());
                return Answer.AGAIN;
            }
            return new Answer(List.of(new ProducerRecord<>(options.topics().results(), request.studyInstanceUid(),
                    json.writeValueAsBytes(success(request, outcome)))), null, () -> {
                attempts.remove(where);
                succeeded.incrementAndGet();
                listener.succeeded(outcome.timings());
                LOG.infof("request %s done: %s", request.requestId(), outcome.series().stream()
                        .map(StudyOutcome.SeriesOutcome::derivedSeriesInstanceUid).toList());
            });
        } catch (RejectedRequestException e) {
            LOG.warnf("request %s rejected (%s): %s", request.requestId(), e.code(), e.reason());
            return deadLetter(record, e.code(), e.reason(), e, request);
        } catch (PacsException e) {
            if (!e.transientFailure()) {
                return deadLetter(record, "pacs-refused", e.getMessage(), e, request);
            }
            int n = attempts.merge(where, 1, Integer::sum);
            if (n >= options.maxAttempts()) {
                attempts.remove(where);
                return deadLetter(record, "pacs-unavailable",
                        "gave up after " + n + " attempts: " + e.getMessage(), e, request);
            }
            LOG.warnf("request %s: attempt %d of %d failed, will retry: %s", request.requestId(), n,
                    options.maxAttempts(), e.getMessage());
            listener.retrying("pacs-unavailable");
            return Answer.AGAIN;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            if (!running) {
                // close() interrupted the study (shutdown grace over): not the request's fault, leave it uncommitted
                LOG.warnf("request %s interrupted by shutdown, left uncommitted (%s)", request.requestId(),
                        e.getClass().getSimpleName());
                return Answer.AGAIN;
            }
            // a bug or an enhancer failure on this input: dead-letter it rather than block the partition forever
            LOG.errorf(e, "request %s failed unexpectedly", request.requestId());
            return deadLetter(record, "internal-error", e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e, request);
        }
    }

    private Answer deadLetter(ConsumerRecord<String, byte[]> record, String code, String reason, Throwable error,
                              StudyRequest request) {
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
            ProducerRecord<String, byte[]> failed = request == null ? null : new ProducerRecord<>(options.topics().results(),
                    request.studyInstanceUid(), json.writeValueAsBytes(failure(request, code, reason)));
            // a value the dead-letter topic cannot take (larger than its max.message.bytes or the producer's
            // max.request.size) would be refused on every retry and block the partition: then it goes there
            // without its value, with its size
            RecordHeaders omitted = new RecordHeaders(headers.toArray());
            if (record.value() != null) {
                omitted.add(DeadLetterHeaders.VALUE_OMITTED, bytes(record.value().length + " bytes, too large for the dead-letter topic"));
            }
            return new Answer(withResult(new ProducerRecord<>(options.topics().deadLetters(), null, record.key(), record.value(), headers), failed),
                    withResult(new ProducerRecord<>(options.topics().deadLetters(), null, record.key(), null, omitted), failed), () -> {
                deadLettered.incrementAndGet();
                listener.failed(code);
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ProducerRecord<String, byte[]>> withResult(ProducerRecord<String, byte[]> deadLetter,
                                                                   ProducerRecord<String, byte[]> failedResult) {
        return failedResult == null ? List.of(deadLetter) : List.of(deadLetter, failedResult);
    }

    /**
     * What the worker hands the polling thread: the records to publish in the transaction that commits the offset (and
     * the same without the request's value, should the dead-letter topic refuse it as too large), and what to count
     * once that transaction is committed; {@link #AGAIN}: nothing to publish, the record is to be tried again.
     */
    private record Answer(List<ProducerRecord<String, byte[]>> records, List<ProducerRecord<String, byte[]>> withoutValue,
                          Runnable published) {
        static final Answer AGAIN = new Answer(null, null, null);

        boolean again() {
            return records == null;
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
        List<StudyResult.Series> all = o.segmentationSeriesInstanceUid() == null ? List.of(series) : List.of(series,
                new StudyResult.Series(null, o.segmentationSeriesInstanceUid(), 0, 1, o.segmentationStored(), 1 - o.segmentationStored(), null));
        StudyResult.TimingsMs t = new StudyResult.TimingsMs(0, o.synthesizeMs(), o.storeMs(), o.synthesizeMs() + o.storeMs());
        StudyResult.MemorisationAudit audit = new StudyResult.MemorisationAudit(o.generated(), o.generated() - o.rejected(), o.rejected(),
                o.closestDistance(), o.threshold(), o.metric(), o.rejected(), o.redrawBudget());
        return new StudyResult(r.requestId(), StudyResult.SUCCEEDED, o.studyInstanceUid(), null, r.targetPacs(), all,
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

    /**
     * A transactional.id stable for a static member (group.instance.id), so that its restarted process fences the
     * old one's open transaction at once; unique per process otherwise (the group generation fences those, KIP-447).
     */
    private Map<String, Object> transactionalProducerProperties() {
        Map<String, Object> p = producerProperties();
        Object instance = clientOverrides.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "scan-enhancer-" + options.groupId() + "-"
                + (instance != null ? instance : java.util.UUID.randomUUID()));
        // a transaction lasts milliseconds; one left open by a killed process holds back read_committed readers of
        // the result topic until the broker aborts it, so that should not take the default minute
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 15_000);
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
