package io.scanenhancer.job;

/** The mutable side of {@link JobProgress}; one per job run. */
final class ProgressCounter {
    private final String requestId;
    private final JobProgress.Listener listener;
    private int total;
    private int retrieved;
    private int enhanced;
    private int stored;

    ProgressCounter(String requestId, JobProgress.Listener listener, int estimatedTotal) {
        this.requestId = requestId;
        this.listener = listener;
        this.total = estimatedTotal;
    }

    /** A series was read: its frames replace its listed instance count in the total. */
    void retrieved(int frames, int listedInstances) {
        total += frames - listedInstances;
        retrieved += frames;
        emit(JobProgress.RETRIEVE);
    }

    /** A series is passed over (Scan Enhancer's own output): its frames leave the total. */
    void skipped(int frames) {
        total -= frames;
        retrieved -= frames;
        emit(JobProgress.RETRIEVE);
    }

    void enhanced(int frames) {
        enhanced += frames;
        emit(JobProgress.ENHANCE);
    }

    void stored(int frames) {
        stored += frames;
        emit(JobProgress.STORE);
    }

    private void emit(String stage) {
        try {
            listener.progress(new JobProgress(requestId, stage, Math.max(total, retrieved), retrieved, enhanced, stored));
        } catch (RuntimeException ignored) {
            // progress is advisory: a failing listener must not fail the study
        }
    }
}
