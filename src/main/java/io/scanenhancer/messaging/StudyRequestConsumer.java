package io.scanenhancer.messaging;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The record loop. Consumes request records one at a time and commits an offset only when the request is finished:
 * derived series stored, then its result event, or its dead letter and failed result, published in the same Kafka
 * transaction as the offset commit ({@link ResultTransaction}). A crash anywhere before that commit means the record
 * is consumed again; that is safe because derived UIDs are deterministic and the store sends only what is missing,
 * and a read_committed reader of the result topic sees one answer per request.
 *
 * <p>Two threads: the polling thread owns the Kafka consumer (which is not thread-safe) and commits; a study runs on
 * the worker thread ({@link RequestDispatcher}) while the polling thread keeps polling with the partitions paused, so
 * a study longer than max.poll.interval.ms does not make the group drop this consumer and hand its record to another.
 * Rebalances are handled by {@link HandOver}. Before each attempt the record's crash marker is committed
 * ({@link CrashMarkers}): a record the process died on too often is dead-lettered instead of attempted again.
 * Built only by {@code io.scanenhancer.pipeline.Pipeline}.
 */
public final class StudyRequestConsumer implements Runnable, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StudyRequestConsumer.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    private static final Duration POLL_WHILE_BUSY = Duration.ofMillis(200);

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final ResultTransaction transaction;
    private final RequestDispatcher dispatcher;
    private final Attempts attempts;
    private final CrashMarkers crashMarkers;
    private final String requestsTopic;
    final ConsumerSettings settings;
    private final RequestListener listener;
    final LoopCounts counts = new LoopCounts();
    private volatile boolean running = true;
    private volatile boolean abandoned;
    private volatile Instant lastPoll = Instant.now();
    private volatile Thread thread;
    private volatile Throwable crash;
    /** The study the worker thread is on; only the polling thread sets it. */
    volatile InFlight inFlight;
    /** While set, the partitions stay paused: the back-off before the next attempt at a record or at its answer. */
    Instant retryAt;
    /** A record whose study is done and whose answer is not yet published and committed (polling thread only). */
    Answer.Pending unpublished;
    Consumer<String, byte[]> consumer;

    /** @param consumers makes the Kafka consumer, on the polling thread, which then owns and closes it */
    public StudyRequestConsumer(Supplier<Consumer<String, byte[]>> consumers, ResultTransaction transaction,
                                RequestDispatcher dispatcher, String requestsTopic, ConsumerSettings settings,
                                RequestListener listener) {
        this.consumers = consumers;
        this.transaction = transaction;
        this.dispatcher = dispatcher;
        this.attempts = dispatcher.attempts();
        this.crashMarkers = new CrashMarkers(settings.maxCrashAttempts());
        this.requestsTopic = requestsTopic;
        this.settings = settings;
        this.listener = listener;
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
                && Duration.between(lastPoll, Instant.now()).compareTo(settings.maxPollInterval()) < 0;
    }

    public Instant lastPoll() {
        return lastPoll;
    }

    public LoopCounts counts() {
        return counts;
    }

    @Override
    public void run() {
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "study-worker"));
        try (Consumer<String, byte[]> c = consumers.get(); ResultTransaction answers = transaction) {
            consumer = c;
            c.subscribe(List.of(requestsTopic), new HandOver(this));
            while (running || inFlight != null || unpublished != null) {
                if (abandoned) {
                    crashMarkers.releaseQuietly(consumer, inFlight); // close() gave up waiting: leave the record uncommitted for the next consumer
                    break;
                }
                if (inFlight != null) {
                    inFlight.awaitDone(POLL_WHILE_BUSY); // so a finished study is committed at once, not after a poll
                }
                ConsumerRecords<String, byte[]> records = c.poll(pollTimeout());
                lastPoll = Instant.now();
                listener.lag(Partitions.lag(c));
                if (inFlight != null) {
                    // the partitions are paused while a study runs; one assigned during a rebalance may still deliver
                    // records, which go back to be fetched again once the study is finished
                    Partitions.rewindAndPause(consumer, records, null);
                    if (inFlight.isDone()) {
                        finishInFlight();
                    }
                } else if (retryAt != null) {
                    Partitions.rewindAndPause(consumer, records, null);
                    if (Instant.now().isBefore(retryAt) && running) {
                        continue; // back-off between attempts, polling all the while so the group keeps us
                    }
                    retryAt = null;
                    if (unpublished != null) {
                        publishAnswer(); // the study is done; only its answer and commit are tried again
                    } else {
                        c.resume(c.paused());
                    }
                } else if (running && !records.isEmpty()) {
                    ConsumerRecord<String, byte[]> record = records.iterator().next();
                    Partitions.rewindAndPause(consumer, records, record); // max.poll.records is 1, but a rebalance can hand over more
                    take(record, worker);
                }
            }
        } catch (WakeupException | InterruptException e) {
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

    /**
     * Commits the record's crash marker, then hands the record to the worker; or, when the process died on it as often
     * as allowed, publishes its dead letter (crashed-the-worker) with the offset commit instead.
     */
    private void take(ConsumerRecord<String, byte[]> record, ExecutorService worker) {
        CrashMarkers.Verdict verdict = crashMarkers.admit(consumer, record);
        if (verdict == null) {
            listener.retrying(io.scanenhancer.job.ErrorCode.KAFKA_UNAVAILABLE.code());
            retryAt = Instant.now().plus(attempts.publishBackoff());
        } else if (verdict.spent()) {
            unpublished = new Answer.Pending(record, dispatcher.crashedTheWorker(record, verdict.crashes()));
            publishAnswer();
        } else {
            inFlight = new InFlight(record, worker.submit(() -> dispatcher.handle(record, () -> !running)), verdict.crashes());
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
    void finishInFlight() {
        InFlight f = inFlight;
        inFlight = null;
        Answer answer;
        try {
            answer = f.done().get();
        } catch (ExecutionException e) {
            crash = e.getCause();
            throw new IllegalStateException("study worker failed", e.getCause());
        } catch (InterruptedException | CancellationException e) {
            answer = Answer.AGAIN;
        }
        if (abandoned && !answer.again()) {
            // the grace ran out as the study finished: no answer and no commit, so the next consumer redoes it, finds
            // the stored instances and publishes the one result
            LOG.warnf("record %s abandoned at shutdown after its study, left uncommitted", Attempts.where(f.record()));
            crashMarkers.releaseQuietly(consumer, f);
            answer = Answer.AGAIN;
        }
        if (!answer.again()) {
            unpublished = new Answer.Pending(f.record(), answer);
            publishAnswer();
            return;
        }
        if (consumer.assignment().contains(f.partition())) {
            consumer.seek(f.partition(), f.record().offset()); // not done: consume it again after the back-off
        }
        retryAt = Instant.now().plus(attempts.backoff(f.record()));
    }

    void publishAnswer() {
        Answer.Pending u = unpublished;
        TopicPartition tp = u.partition();
        if (!consumer.assignment().contains(tp)) {
            // the partition moved to another consumer, which will process the record again: harmless, the derived
            // UIDs are the same and the store sends only what is missing
            unpublished = null;
            LOG.warnf("%s went to another consumer before its answer was committed: it will be done there",
                    Attempts.where(u.record()));
            consumer.resume(consumer.paused());
            return;
        }
        long next = u.record().offset() + 1;
        ResultTransaction.Outcome outcome = transaction.publishAndCommit(u.answer().records(), tp, next, consumer.groupMetadata());
        if (outcome == ResultTransaction.Outcome.TOO_LARGE && u.answer().withoutValue() != null) {
            outcome = transaction.publishAndCommit(u.answer().withoutValue(), tp, next, consumer.groupMetadata());
        }
        if (outcome == ResultTransaction.Outcome.COMMITTED) {
            unpublished = null;
            (u.answer().deadLetter() ? counts.deadLettered : counts.succeeded).incrementAndGet();
            u.answer().published().run();
            consumer.resume(consumer.paused());
            return;
        }
        LOG.warnf("could not publish the answer to %s and commit, will try again: %s", Attempts.where(u.record()),
                transaction.lastError());
        listener.retrying(io.scanenhancer.job.ErrorCode.KAFKA_UNAVAILABLE.code());
        retryAt = Instant.now().plus(attempts.publishBackoff());
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
            t.join(Math.max(1, settings.shutdownGrace().toMillis()));
            if (t.isAlive()) {
                LOG.warnf("study still in progress after the shutdown grace of %s: abandoned uncommitted", settings.shutdownGrace());
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
