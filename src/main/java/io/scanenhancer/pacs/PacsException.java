package io.scanenhancer.pacs;

/**
 * A PACS call failed. {@link #transientFailure()} says whether trying again later may succeed (connection refused,
 * timeout, HTTP 5xx) as opposed to a definite refusal (HTTP 4xx, a rejected C-STORE).
 */
public class PacsException extends Exception {
    private final boolean transientFailure;

    public PacsException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public PacsException(String message, boolean transientFailure) {
        this(message, transientFailure, null);
    }

    public boolean transientFailure() {
        return transientFailure;
    }
}
