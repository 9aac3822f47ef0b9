package io.scanenhancer.service;

import io.scanenhancer.pacs.PacsException;
import io.smallrye.faulttolerance.api.RetryWhen;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.time.temporal.ChronoUnit;

/**
 * Every PACS call of the service goes through here, so SmallRye Fault Tolerance can retry transient failures and
 * bound the time a call may take. Values can be overridden in configuration, e.g.
 * {@code io.scanenhancer.service.GuardedPacsCalls/call/Retry/maxRetries=5}.
 */
@ApplicationScoped
public class GuardedPacsCalls {

    @FunctionalInterface
    public interface PacsCall<T> {
        T call() throws PacsException;
    }

    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS, jitter = 200)
    @RetryWhen(exception = TransientPacsFailure.class)
    @Timeout(value = 10, unit = ChronoUnit.MINUTES)
    public <T> T call(PacsCall<T> call) throws PacsException {
        return call.call();
    }
}
