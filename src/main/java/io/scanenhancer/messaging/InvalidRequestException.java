package io.scanenhancer.messaging;

/** A request record that is not a valid request event; the message is the specific reason (no PHI). */
public final class InvalidRequestException extends Exception {
    public InvalidRequestException(String reason) {
        super(reason);
    }

    public InvalidRequestException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
