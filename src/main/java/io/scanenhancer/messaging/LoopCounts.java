package io.scanenhancer.messaging;

import java.util.concurrent.atomic.AtomicLong;

/** What one record loop has done so far: answers committed, and rebalances that took partitions from it. */
public final class LoopCounts {
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong rebalances = new AtomicLong();

    public long succeeded() {
        return succeeded.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    /** A long study alone must not cause one (the loop keeps polling while it runs). */
    public long rebalances() {
        return rebalances.get();
    }
}
