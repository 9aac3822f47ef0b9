package io.scanenhancer.messaging;

import io.scanenhancer.job.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which dead letters a redrive sends without force: exactly the transient codes of ErrorCode. */
class RedrivePermanenceTest {
    @Test
    void onlyTransientCodesAreRedrivenWithoutForce() {
        assertFalse(DeadLetterRedrive.permanent("pacs-unavailable"));
        for (String code : new String[] {"invalid-request", "study-not-found", "unknown-pacs", "refused-input",
                "pacs-refused", "crashed-the-worker", "internal-error"}) {
            assertTrue(DeadLetterRedrive.permanent(code), code);
        }
        assertTrue(DeadLetterRedrive.permanent(null), "no code: permanent");
        assertTrue(DeadLetterRedrive.permanent("made-up"), "unknown code: permanent");
        for (ErrorCode c : ErrorCode.values()) {
            assertEquals(!c.transientFailure(), DeadLetterRedrive.permanent(c.code()), c.code());
        }
    }
}
