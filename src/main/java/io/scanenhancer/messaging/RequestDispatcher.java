package io.scanenhancer.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanenhancer.audit.AuditParticipant;
import io.scanenhancer.audit.AuditTrail;
import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.job.EnhanceStudyCommand;
import io.scanenhancer.job.EnhanceStudyJob;
import io.scanenhancer.job.ErrorCode;
import io.scanenhancer.job.RejectedRequestException;
import io.scanenhancer.job.StudyOutcome;
import io.scanenhancer.job.SynthesizeStudyJob;
import io.scanenhancer.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * On the worker thread: decodes one request record, runs the job its operation names, and turns the outcome into the
 * {@link Answer} the record loop publishes with the offset commit. Every failure goes through {@link Failure#of}: a
 * transient one is tried again until the attempts run out, anything else is dead-lettered at once.
 */
public final class RequestDispatcher {
    private static final Logger LOG = Logger.getLogger(RequestDispatcher.class);
    /** A request is a few hundred bytes; anything this large is refused before it is decoded or parsed. */
    public static final int MAX_VALUE_BYTES = 1 << 20;

    private final EnhanceStudyJob enhance;
    private final SynthesizeStudyJob synthesis;
    private final Topics topics;
    private final ObjectMapper json;
    private final RequestParser parser;
    private final Attempts attempts;
    private final ProgressPublisher progress;
    private final RequestListener listener;
    private final AuditTrail audit;
    private final Tracing tracing;

    /** @param synthesis runs synthesize requests; null for a service that only enhances (they are dead-lettered) */
    public RequestDispatcher(EnhanceStudyJob enhance, SynthesizeStudyJob synthesis, Topics topics, ObjectMapper json,
                             ConsumerSettings settings, ProgressPublisher progress, RequestListener listener,
                             Tracing tracing, AuditTrail audit) {
        this.enhance = enhance;
        this.synthesis = synthesis;
        this.topics = topics;
        this.json = json;
        this.parser = new RequestParser(json);
        this.attempts = new Attempts(settings);
        this.progress = progress;
        this.listener = listener;
        this.audit = audit;
        this.tracing = tracing;
    }

    Attempts attempts() {
        return attempts;
    }

    /** @param stopping true once the service shuts down: a study cut short then is left uncommitted, not failed */
    Answer handle(ConsumerRecord<String, byte[]> record, BooleanSupplier stopping) {
        listener.started();
        // the job's span continues the trace of whoever published the request (REST call, receiver, any producer);
        // every record the answer publishes is made on this thread inside it, and carries it on
        Span job = tracing.start("study-job", SpanKind.CONSUMER, TraceHeaders.extract(record.headers()));
        job.setAttribute("messaging.system", "kafka");
        job.setAttribute("messaging.destination.name", record.topic());
        job.setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()));
        job.setAttribute("messaging.kafka.offset", record.offset());
        try (Scope ignored = job.makeCurrent()) {
            Answer answer = process(record, stopping);
            if (answer.again()) {
                job.setAttribute("enhancer.attempt.again", true);
            }
            return answer;
        } finally {
            job.end();
            listener.finished();
        }
    }

    private Answer process(ConsumerRecord<String, byte[]> record, BooleanSupplier stopping) {
        String where = Attempts.where(record);
        StudyRequest request;
        try {
            request = parser.parse(utf8(record.value()));
        } catch (InvalidRequestException e) {
            LOG.warnf("record %s is not a valid request: %s", where, e.getMessage());
            return deadLetter(record, null, Failure.of(e), e);
        }
        if (attempts.failedSoFar(record) == 0) { // accepted once, not again at every retry
            audit.request(requestor(record), "kafka request " + request.requestId(), request.studyInstanceUid(), null);
        }
        Span.current().updateName(request.isSynthesize() ? "synthesize-study" : "enhance-study")
                .setAttribute(Tracing.JOB_ID, request.requestId());
        if (request.studyInstanceUid() != null) {
            Span.current().setAttribute(Tracing.STUDY_UID, request.studyInstanceUid());
        }
        if (request.isSynthesize()) {
            LOG.infof("request %s for a synthetic study of %d slices (record %s)", request.requestId(), request.count(), where);
        } else {
            LOG.infof("request %s for study %s (record %s)", request.requestId(), request.studyInstanceUid(), where);
        }
        try {
            return request.isSynthesize() ? synthesize(record, request) : enhance(record, request);
        } catch (Exception e) {
            return failed(record, request, e, stopping.getAsBoolean());
        }
    }

    private Answer enhance(ConsumerRecord<String, byte[]> record, StudyRequest request) throws Exception {
        StudyOutcome outcome = enhance.run(command(request), progress.forRequest(request));
        return Answer.succeeded(result(request.studyInstanceUid(), ResultEvents.success(request, outcome, Instant.now())), () -> {
            attempts.forget(record);
            listener.succeeded(outcome.timings());
            LOG.infof("request %s done: %s", request.requestId(), outcome.series().stream()
                    .map(StudyOutcome.SeriesOutcome::derivedSeriesInstanceUid).toList());
        });
    }

    private Answer synthesize(ConsumerRecord<String, byte[]> record, StudyRequest request) throws Exception {
        if (synthesis == null) {
            throw new RejectedRequestException(ErrorCode.SYNTHESIS_UNAVAILABLE, "this service does not run synthesize requests");
        }
        SynthesizeStudyJob.Outcome o = synthesis.run(new SynthesizeStudyJob.Command(request.requestId(),
                request.targetPacs(), request.count(), request.seed() == null ? 0 : request.seed(), request.spacing(),
                request.renderer()));
        return Answer.succeeded(result(o.studyInstanceUid(), ResultEvents.synthesized(request, o, Instant.now())), () -> {
            attempts.forget(record);
            LOG.infof("request %s done: synthetic series %s, %d of %d slices published (%d sent now), %d rejected by the memorisation audit",
                    request.requestId(), o.seriesInstanceUid(), o.generated() - o.rejected(), o.generated(), o.stored(), o.rejected());
        });
    }

    private Answer failed(ConsumerRecord<String, byte[]> record, StudyRequest request, Exception e, boolean stopping) {
        Failure failure = Failure.of(e);
        if (stopping && (failure.transientFailure() || failure.code() == ErrorCode.INTERNAL_ERROR)) {
            // shutdown interrupted the study (grace over): not the request's fault, nor an attempt to count
            LOG.warnf("request %s interrupted by shutdown, left uncommitted (%s)", request.requestId(), e.getClass().getSimpleName());
            return Answer.AGAIN;
        }
        if (failure.transientFailure()) {
            int n = attempts.failed(record);
            if (!attempts.exhausted(n)) {
                LOG.warnf("request %s: attempt %d of %d failed, will retry: %s", request.requestId(), n, attempts.max(),
                        failure.reason());
                listener.retrying(failure.code().code());
                return Answer.AGAIN;
            }
            attempts.forget(record);
            failure = failure.gaveUp(n);
        }
        if (failure.code() == ErrorCode.INTERNAL_ERROR) {
            LOG.errorf(e, "request %s failed unexpectedly", request.requestId());
        } else {
            LOG.warnf("request %s rejected (%s): %s", request.requestId(), failure.code(), failure.reason());
        }
        return deadLetter(record, request, failure, e);
    }

    /**
     * A request the process died on as often as the crash budget allows (CrashMarkers): dead-lettered without
     * another attempt, with a failed result when it parses, so that no sender waits for it.
     */
    Answer crashedTheWorker(ConsumerRecord<String, byte[]> record, int crashes) {
        String reason = "the service process died " + crashes + " times while working on this request (out of memory, "
                + "native crash or killed); not attempted again";
        Failure failure = new Failure(ErrorCode.CRASHED_THE_WORKER, reason);
        StudyRequest request;
        try {
            request = parser.parse(utf8(record.value()));
        } catch (InvalidRequestException e) {
            request = null; // it got far enough to crash us once: its dead letter says why, its id is in the header
        }
        LOG.errorf("record %s%s quarantined: %s", Attempts.where(record),
                request == null ? "" : " (request " + request.requestId() + ")", reason);
        return deadLetter(record, request, failure, new CrashedTheWorkerException(reason));
    }

    /** The record as it came plus our headers, and for a request that parsed a failed result, so no sender waits. */
    private Answer deadLetter(ConsumerRecord<String, byte[]> record, StudyRequest request, Failure failure, Throwable error) {
        String code = failure.code().code();
        Span.current().setAttribute(Tracing.ERROR_CODE, code);
        Tracing.failed(Span.current(), "dead-lettered: " + code);
        String requestId = request != null ? request.requestId()
                : record.value() == null || record.value().length > MAX_VALUE_BYTES ? null
                : parser.requestIdOrNull(new String(record.value(), StandardCharsets.UTF_8));
        Headers headers = DeadLetterHeaders.of(record, code, failure.reason(), error, requestId);
        audit.request(requestor(record), "kafka request " + (requestId == null ? Attempts.where(record) : requestId),
                request == null ? null : request.studyInstanceUid(), code + ": " + failure.reason());
        TraceHeaders.injectCurrent(headers);
        ProducerRecord<String, byte[]> failed = request == null ? null
                : result(request.studyInstanceUid(), ResultEvents.failure(request, code, failure.reason(), Instant.now()));
        // a value the dead-letter topic cannot take (larger than its max.message.bytes or the producer's
        // max.request.size) would be refused on every retry and block the partition: then it goes without its value
        return new Answer(
                withResult(new ProducerRecord<>(topics.deadLetters(), null, record.key(), record.value(), headers), failed),
                withResult(new ProducerRecord<>(topics.deadLetters(), null, record.key(), null,
                        DeadLetterHeaders.valueOmitted(headers, record.value())), failed),
                () -> listener.failed(code), true);
    }

    /** Who sent a Kafka request is not known to the consumer: the topic stands for the requestor. */
    private static AuditParticipant requestor(ConsumerRecord<String, byte[]> record) {
        return AuditParticipant.of("kafka:" + record.topic(), null);
    }

    private static List<ProducerRecord<String, byte[]>> withResult(ProducerRecord<String, byte[]> deadLetter,
                                                                   ProducerRecord<String, byte[]> failedResult) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(List.of(deadLetter));
        if (failedResult != null) {
            records.add(failedResult);
        }
        return List.copyOf(records);
    }

    private ProducerRecord<String, byte[]> result(String key, StudyResult event) {
        try {
            Headers headers = new RecordHeaders();
            TraceHeaders.injectCurrent(headers);
            return new ProducerRecord<>(topics.results(), null, key, json.writeValueAsBytes(event), headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static EnhanceStudyCommand command(StudyRequest r) {
        StudyRequest.Sampler s = r.sampler();
        EnhanceSettings settings = new EnhanceSettings(s == null ? null : s.name(), s == null ? null : s.steps(),
                s == null ? null : s.samples(), r.seed(), s == null ? null : s.strength(), r.uncertainty(),
                r.degradation() == null ? null : Degradation.of(r.degradation()));
        return new EnhanceStudyCommand(r.requestId(), r.studyInstanceUid(), r.seriesInstanceUids(), r.sourcePacs(),
                r.targetPacs(), r.scale() == null ? 2 : r.scale(), settings, r.batchSize());
    }

    private static String utf8(byte[] value) throws InvalidRequestException {
        if (value == null) {
            throw new InvalidRequestException("empty record value");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new InvalidRequestException("value is " + value.length + " bytes, more than the " + MAX_VALUE_BYTES
                    + " bytes a request may have");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException("not JSON: the value is not UTF-8 text", e);
        }
    }
}
