package io.scanenhancer.job;

/**
 * The mutable side of {@link JobProgress}; one per job run. The stage is the one the job is in now, set when it starts
 * (before a download, before an enhancer call, before the first store), not by the last count that moved: a job that
 * has read its slices and spends minutes in the network must say enhance, not retrieve.
 */
final class ProgressCounter implements SliceBatcher.Progress {
    private final String requestId;
    private final JobProgress.Listener listener;
    private String stage = JobProgress.RETRIEVE;
    private int total;
    private int retrieved;
    private int enhanced;
    private int stored;

    ProgressCounter(String requestId, JobProgress.Listener listener, int estimatedTotal) {
        this.requestId = requestId;
        this.listener = listener;
        this.total = estimatedTotal;
    }

    /** A series is being downloaded (the job goes back to retrieve for each further series of a study). */
    void retrieving() {
        enter(JobProgress.RETRIEVE);
    }

    /** A series was read: its frames replace its listed instance count in the total. */
    void retrieved(int frames, int listedInstances) {
        total += frames - listedInstances;
        retrieved += frames;
        emit();
    }

    /** A series is passed over (Scan Enhancer's own output): its frames leave the total. */
    void skipped(int frames) {
        total -= frames;
        retrieved -= frames;
        emit();
    }

    @Override
    public void enhancing() {
        enter(JobProgress.ENHANCE);
    }

    @Override
    public void enhanced(int frames) {
        enhanced += frames;
        emit();
    }

    /** The derived objects are about to be sent to the target PACS. */
    void storing() {
        enter(JobProgress.STORE);
    }

    void stored(int frames) {
        stored += frames;
        emit();
    }

    private void enter(String next) {
        if (!next.equals(stage)) {
            stage = next;
            emit();
        }
    }

    private void emit() {
        try {
            listener.progress(new JobProgress(requestId, stage, Math.max(total, retrieved), retrieved, enhanced, stored));
        } catch (RuntimeException ignored) {
            // progress is advisory: a failing listener must not fail the study
        }
    }
}
