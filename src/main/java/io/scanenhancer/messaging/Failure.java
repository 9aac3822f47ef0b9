package io.scanenhancer.messaging;

import io.scanenhancer.job.ErrorCode;
import io.scanenhancer.job.RejectedRequestException;
import io.scanenhancer.pacs.PacsException;

/**
 * Why a request failed, in the terms of the event contract: the one place where an exception becomes an
 * {@link ErrorCode}, and with it transient (tried again after a back-off) or permanent (dead-lettered at once).
 *
 * @param reason specific and free of patient data: it goes into the dead letter's x-reason and the failed result
 */
record Failure(ErrorCode code, String reason) {

    static Failure of(Throwable e) {
        if (e instanceof InvalidRequestException) {
            return new Failure(ErrorCode.INVALID_REQUEST, e.getMessage());
        }
        if (e instanceof RejectedRequestException r) {
            return new Failure(r.code(), r.reason());
        }
        if (e instanceof PacsException p) {
            // the PACS client says whether another try may succeed (down, 5xx, timed out) or not (4xx, refused)
            return new Failure(p.transientFailure() ? ErrorCode.PACS_UNAVAILABLE : ErrorCode.PACS_REFUSED, p.getMessage());
        }
        // a bug or an enhancer failure on this input: dead-lettered rather than blocking the partition forever
        return new Failure(ErrorCode.INTERNAL_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    boolean transientFailure() {
        return code.transientFailure();
    }

    /** The transient failure of the last attempt, given up on. */
    Failure gaveUp(int attempts) {
        return new Failure(code, "gave up after " + attempts + " attempts: " + reason);
    }
}
