package io.scanenhancer.job;

/**
 * The request cannot succeed as sent (unknown PACS, unknown study, input the enhancer refuses): retrying will not
 * help, so it goes to the dead-letter topic with {@link #reason()} and {@link #code()}.
 */
public final class RejectedRequestException extends Exception {
    private final String code;

    public RejectedRequestException(String code, String reason, Throwable cause) {
        super(reason, cause);
        this.code = code;
    }

    public RejectedRequestException(String code, String reason) {
        this(code, reason, null);
    }

    /** Short machine-readable category, e.g. {@code unknown-pacs}, {@code study-not-found}, {@code refused-input}. */
    public String code() {
        return code;
    }

    public String reason() {
        return getMessage();
    }
}
