package io.scanenhancer.pacs;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and for how long each kind of PACS call may be tried within one attempt at a request; applied by
 * {@link RetryingPacs}. The request consumer's attempts (with their own, longer back-off) are the only other layer:
 * worst cases per operation are in README "Retries and their worst cases". Defaults: a ping is tried once (readiness
 * and the pre-flight check want the answer of one try), a query three times, a retrieve and a store twice (a store
 * retry saves redoing minutes of enhancement when a pooled connection turned out closed).
 */
public record PacsRetryPolicy(Rule ping, Rule find, Rule retrieve, Rule store) {

    /** Which rule a call follows: ping (C-ECHO, QIDO-RS limit=1), find (QIDO-RS, C-FIND), retrieve, store. */
    public enum Operation { PING, FIND, RETRIEVE, STORE }

    /**
     * @param tries   calls at most, 1 = no retry; only a failure the PACS client reports as transient is tried again
     * @param backoff pause before the second call, doubled before each further one
     * @param timeout longest one call may take; a call that takes longer fails as transient ("timed out")
     */
    public record Rule(int tries, Duration backoff, Duration timeout) {
        public Rule {
            if (tries < 1) {
                throw new IllegalArgumentException("tries must be at least 1, was " + tries);
            }
            Objects.requireNonNull(backoff, "backoff");
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
        }

        /** The pause before call {@code next} (2 .. tries): backoff, 2 x backoff, 4 x backoff, ... */
        public Duration pauseBefore(int next) {
            return backoff.multipliedBy(1L << Math.min(Math.max(next - 2, 0), 20));
        }

        /** The longest a call under this rule can take: every try running into its timeout, plus the pauses. */
        public Duration worstCase() {
            Duration total = timeout.multipliedBy(tries);
            for (int next = 2; next <= tries; next++) {
                total = total.plus(pauseBefore(next));
            }
            return total;
        }
    }

    public PacsRetryPolicy {
        Objects.requireNonNull(ping, "ping");
        Objects.requireNonNull(find, "find");
        Objects.requireNonNull(retrieve, "retrieve");
        Objects.requireNonNull(store, "store");
    }

    /** The shipped values (application.properties {@code enhancer.pacs-calls.*}). */
    public static PacsRetryPolicy defaults() {
        return new PacsRetryPolicy(
                new Rule(1, Duration.ZERO, Duration.ofSeconds(10)),
                new Rule(3, Duration.ofSeconds(1), Duration.ofSeconds(30)),
                new Rule(2, Duration.ofSeconds(2), Duration.ofMinutes(10)),
                new Rule(2, Duration.ofSeconds(2), Duration.ofMinutes(5)));
    }

    public Rule rule(Operation operation) {
        return switch (operation) {
            case PING -> ping;
            case FIND -> find;
            case RETRIEVE -> retrieve;
            case STORE -> store;
        };
    }
}
