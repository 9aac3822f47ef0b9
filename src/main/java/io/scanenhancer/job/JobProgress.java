package io.scanenhancer.job;

/**
 * Where one job stands, in slices (frames): how many of {@code total} have been retrieved, enhanced and stored.
 * {@code total} starts as the instance count the PACS lists and becomes the frame count once each series is read,
 * so it can only be exact after retrieval.
 */
public record JobProgress(String requestId, String stage, int total, int retrieved, int enhanced, int stored) {
    public static final String RETRIEVE = "retrieve";
    public static final String ENHANCE = "enhance";
    public static final String STORE = "store";

    /** Called on the job's thread after every batch; must be quick and must not throw. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = p -> {
        };

        void progress(JobProgress progress);
    }
}
