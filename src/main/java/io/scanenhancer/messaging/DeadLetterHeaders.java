package io.scanenhancer.messaging;

/** Header names on dead-letter records (documented in the README and the dead-letter schema). */
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
}
