package io.scanenhancer.job;

/**
 * Every error code of the event contract ({@code x-error-code} on a dead letter, {@code errorCode} on a failed result;
 * README "Dead letters"), and whether trying the request again later may succeed. Jobs name the rejections only they
 * can recognise ({@link RejectedRequestException}); the request dispatcher's one classification
 * ({@code io.scanenhancer.messaging.Failure}) maps every other exception to a code here.
 */
public enum ErrorCode {
    INVALID_REQUEST("invalid-request"),
    UNKNOWN_PACS("unknown-pacs"),
    STUDY_NOT_FOUND("study-not-found"),
    SERIES_NOT_FOUND("series-not-found"),
    REFUSED_INPUT("refused-input"),
    UNSUPPORTED_SCALE("unsupported-scale"),
    UNCERTAINTY_UNAVAILABLE("uncertainty-unavailable"),
    SYNTHESIS_UNAVAILABLE("synthesis-unavailable"),
    ALL_SLICES_REJECTED("all-slices-rejected"),
    /** A synthesize request whose slices the memorisation audit kept rejecting beyond the redraw budget. */
    REDRAW_BUDGET_SPENT("redraw-budget-spent"),
    /** The PACS refused definitely (HTTP 4xx, a rejected C-STORE, a refused association). */
    PACS_REFUSED("pacs-refused"),
    /** Down, timed out, HTTP 5xx, credentials refused: the request is tried again after a back-off. */
    PACS_UNAVAILABLE("pacs-unavailable", true),
    /** Only a metrics tag: the answer could not be published and committed, and is tried again. Never dead-lettered. */
    KAFKA_UNAVAILABLE("kafka-unavailable", true),
    /**
     * The process died while working on the request (out of memory, native crash, SIGKILL) as many times as
     * enhancer.consumer.max-crash-attempts allows: dead-lettered without another attempt (README "Quarantine").
     */
    CRASHED_THE_WORKER("crashed-the-worker"),
    INTERNAL_ERROR("internal-error");

    private final String code;
    private final boolean transientFailure;

    ErrorCode(String code) {
        this(code, false);
    }

    ErrorCode(String code, boolean transientFailure) {
        this.code = code;
        this.transientFailure = transientFailure;
    }

    /** As it appears in events, e.g. {@code study-not-found}. */
    public String code() {
        return code;
    }

    public boolean transientFailure() {
        return transientFailure;
    }

    @Override
    public String toString() {
        return code;
    }
}
