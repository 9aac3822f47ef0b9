package io.scanenhancer.messaging;

/** Topic names; defaults as in the event contract. */
public record Topics(String requests, String results, String deadLetters) {
    public static final String REQUESTS = "imaging.study.requested";
    public static final String RESULTS = "imaging.study.enhanced";
    public static final String DEAD_LETTERS = "imaging.study.dlq";

    public static Topics defaults() {
        return new Topics(REQUESTS, RESULTS, DEAD_LETTERS);
    }
}
