package io.scanenhancer.job;

/**
 * The request cannot succeed as sent (unknown PACS, unknown study, input the enhancer refuses): retrying will not
 * help, so it goes to the dead-letter topic with {@link #reason()} and {@link #code()}.
 */
public final class RejectedRequestException extends Exception {
    private final ErrorCode code;

    public RejectedRequestException(ErrorCode code, String reason, Throwable cause) {
        super(reason, cause);
        if (code.transientFailure()) {
            throw new IllegalArgumentException(code + " is not a rejection");
        }
        this.code = code;
    }

    public RejectedRequestException(ErrorCode code, String reason) {
        this(code, reason, null);
    }

    public ErrorCode code() {
        return code;
    }

    public String reason() {
        return getMessage();
    }
}
