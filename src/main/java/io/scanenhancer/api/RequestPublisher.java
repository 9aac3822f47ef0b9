package io.scanenhancer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanenhancer.audit.AuditParticipant;
import io.scanenhancer.messaging.EventJson;
import io.scanenhancer.messaging.InvalidRequestException;
import io.scanenhancer.messaging.RequestParser;
import io.scanenhancer.messaging.StudyRequest;
import io.scanenhancer.messaging.TraceHeaders;
import io.scanenhancer.pacs.UnknownPacsException;
import io.scanenhancer.service.EnhancerService;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Puts REST requests, and those of the DICOM receiver, on the same requests topic the Kafka producers use, so that there
 * is one processing path.
 */
@ApplicationScoped
public class RequestPublisher {
    private static final ObjectMapper JSON = EventJson.mapper();

    @Inject
    EnhancerService service;
    @Inject
    JobTracker tracker;

    private KafkaProducer<String, byte[]> producer;

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            // the same broker and TLS / SASL settings as the service's consumer: a secured broker refuses anything else
            producer = new KafkaProducer<>(service.kafkaClients().requestProducer());
        }
        return producer;
    }

    /** Key = Study Instance UID, as for every other producer of the topic (one study's requests stay in order). */
    void publish(String studyInstanceUid, byte[] value) throws PublishFailedException {
        try {
            Headers headers = new RecordHeaders();
            TraceHeaders.injectCurrent(headers); // the REST call's trace goes on with the job
            producer().send(new ProducerRecord<>(service.settings().topics().requests(), null, studyInstanceUid, value, headers))
                    .get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new PublishFailedException(e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw new PublishFailedException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException(e);
        }
    }

    /**
     * Checks a request as the Kafka path does (its JSON through the {@link RequestParser}), checks its PACS names and
     * its id, publishes it and lets the job tracker know: what {@code POST /studies/{uid}/enhance} does after reading
     * its body, and what the receiver does when a pushed study is stable.
     *
     * @param requestor who asked (the REST caller, the DICOM sender), for the audit record of the acceptance or refusal
     * @param channel   "rest" or "receiver"
     * @return the request as published
     */
    public StudyRequest queue(StudyRequest request, AuditParticipant requestor, String channel) throws RefusedException {
        String what = channel + " request " + request.requestId();
        try {
            StudyRequest queued = check(request);
            service.audit().request(requestor, what, queued.studyInstanceUid(), null);
            return queued;
        } catch (RefusedException e) {
            service.audit().request(requestor, what, request.studyInstanceUid(), e.error() + ": " + e.getMessage());
            throw e;
        }
    }

    private StudyRequest check(StudyRequest request) throws RefusedException {
        StudyRequest parsed;
        try {
            parsed = new RequestParser(JSON).parse(JSON.writeValueAsString(request));
        } catch (InvalidRequestException e) {
            throw new RefusedException(Response.Status.BAD_REQUEST, "invalid-request", e.getMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (String pacs : new String[] {parsed.sourcePacs(), parsed.targetPacs()}) {
            try {
                service.registry().get(pacs);
            } catch (UnknownPacsException e) {
                throw new RefusedException(Response.Status.BAD_REQUEST, "unknown-pacs", e.getMessage());
            }
        }
        if (tracker.find(parsed.requestId()).isPresent()) {
            throw new RefusedException(Response.Status.CONFLICT, "duplicate-request-id", "request id "
                    + parsed.requestId() + " is already known; GET /jobs/" + parsed.requestId());
        }
        try {
            publish(parsed.studyInstanceUid(), JSON.writeValueAsBytes(parsed));
        } catch (PublishFailedException e) {
            throw new RefusedException(Response.Status.SERVICE_UNAVAILABLE, "kafka-unavailable",
                    "the request could not be put on the requests topic; try again", e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        tracker.accepted(parsed.requestId(), parsed.studyInstanceUid());
        return parsed;
    }

    /** A request not queued: the HTTP status, error code and reason the REST API answers with. */
    public static final class RefusedException extends Exception {
        private final transient Response.Status status;
        private final String error;

        RefusedException(Response.Status status, String error, String reason) {
            this(status, error, reason, null);
        }

        RefusedException(Response.Status status, String error, String reason, Throwable cause) {
            super(reason, cause);
            this.status = status;
            this.error = error;
        }

        public Response.Status status() {
            return status;
        }

        public String error() {
            return error;
        }
    }

    static final class PublishFailedException extends Exception {
        PublishFailedException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
