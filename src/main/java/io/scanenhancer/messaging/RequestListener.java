package io.scanenhancer.messaging;

import io.scanenhancer.job.StageTimings;

/**
 * What the request consumer reports as it works, for metrics. Plain callbacks rather than a metrics library, so the
 * consumer keeps running without CDI (demo, tests) and the service decides how to count.
 */
public interface RequestListener {
    RequestListener NONE = new RequestListener() {
    };

    /** A record was taken up; {@link #finished()} follows whatever happens. */
    default void started() {
    }

    default void finished() {
    }

    default void succeeded(StageTimings timings) {
    }

    /** Dead-lettered (and, when it parsed, answered with a failed result). */
    default void failed(String errorCode) {
    }

    /** Not finished; the record will be consumed again after the back-off. */
    default void retrying(String errorCode) {
    }

    /** Records behind the end of the assigned partitions after the latest poll. */
    default void lag(long records) {
    }
}
