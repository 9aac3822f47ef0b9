package io.scanenhancer.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/** Header names on dead-letter records (documented in the README and the dead-letter schema), and the headers made. */
public final class DeadLetterHeaders {
    /** Human-readable reason, e.g. "field 'studyInstanceUid' is missing". */
    public static final String REASON = "x-reason";
    /** Machine-readable category, e.g. invalid-request, unknown-pacs, study-not-found, refused-input. */
    public static final String ERROR_CODE = "x-error-code";
    /** Fully qualified Java class of the error that rejected the record. */
    public static final String ERROR_CLASS = "x-error-class";
    public static final String ORIGINAL_TOPIC = "x-original-topic";
    public static final String ORIGINAL_PARTITION = "x-original-partition";
    public static final String ORIGINAL_OFFSET = "x-original-offset";
    /** The request id, when the record was JSON with a requestId. */
    public static final String REQUEST_ID = "x-request-id";
    /** Present when the original value was too large for the dead-letter topic and was left out: its size. */
    public static final String VALUE_OMITTED = "x-value-omitted";

    private DeadLetterHeaders() {
    }

    /**
     * The original record's headers plus ours.
     *
     * @param requestId null when the record was not JSON with a requestId
     */
    static Headers of(ConsumerRecord<String, byte[]> record, String code, String reason, Throwable error, String requestId) {
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(headers::add);
        headers.add(REASON, bytes(reason));
        headers.add(ERROR_CODE, bytes(code));
        headers.add(ERROR_CLASS, bytes(error.getClass().getName()));
        headers.add(ORIGINAL_TOPIC, bytes(record.topic()));
        headers.add(ORIGINAL_PARTITION, bytes(Integer.toString(record.partition())));
        headers.add(ORIGINAL_OFFSET, bytes(Long.toString(record.offset())));
        if (requestId != null) {
            headers.add(REQUEST_ID, bytes(requestId));
        }
        return headers;
    }

    /** For the dead letter without the original value: the same headers and the size that was left out. */
    static Headers valueOmitted(Headers headers, byte[] value) {
        RecordHeaders omitted = new RecordHeaders(headers.toArray());
        if (value != null) {
            omitted.add(VALUE_OMITTED, bytes(value.length + " bytes, too large for the dead-letter topic"));
        }
        return omitted;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
