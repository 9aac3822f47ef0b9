package io.scanenhancer.messaging;

/**
 * Topic names. The defaults of the event contract are defined here and only here: the service's configuration
 * ({@code enhancer.topics.*}) takes them as its defaults.
 */
public record Topics(String requests, String results, String deadLetters, String progress) {
    public static final String REQUESTS = "imaging.study.requested";
    public static final String RESULTS = "imaging.study.enhanced";
    public static final String DEAD_LETTERS = "imaging.study.dlq";
    /** Progress events of running jobs (advisory; read by the REST API of every replica). */
    public static final String PROGRESS = "imaging.study.progress";

    /** Own request, result and dead-letter topics (tests keep apart this way) with the shared progress topic. */
    public Topics(String requests, String results, String deadLetters) {
        this(requests, results, deadLetters, PROGRESS);
    }

    public static Topics defaults() {
        return new Topics(REQUESTS, RESULTS, DEAD_LETTERS, PROGRESS);
    }
}
