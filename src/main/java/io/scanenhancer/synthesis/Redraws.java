package io.scanenhancer.synthesis;

import java.util.ArrayList;
import java.util.List;

/**
 * The redraw budget of one study: a slice the memorisation audit rejects is drawn again, at most
 * {@value #PER_SLICE} times, and the study may spend at most {@link #budget} redraws in all (10% of its slices, at
 * least {@value #MIN_BUDGET}). Past either limit the request fails with {@link Exhausted}; nothing is published short.
 */
public final class Redraws {
    public static final int PER_SLICE = 3;
    public static final int MIN_BUDGET = 3;
    public static final double STUDY_FRACTION = 0.10;

    /** One redraw: slice (0-based), its attempt number (1..PER_SLICE), and what the rejected draw was closest to. */
    public record Redraw(int slice, int attempt, double rejectedDistance, int nearestTrainingSlice) {
    }

    /** The budget is spent: the reason names the slice, its distances and the limits. */
    public static final class Exhausted extends RuntimeException {
        Exhausted(String reason) {
            super(reason);
        }
    }

    private final int[] attempts;
    private final int budget;
    private final List<Redraw> done = new ArrayList<>();

    Redraws(int count) {
        this.attempts = new int[count];
        this.budget = budget(count);
    }

    public static int budget(int count) {
        return Math.max(MIN_BUDGET, (int) Math.ceil(STUDY_FRACTION * count));
    }

    /** Records a redraw of a rejected slice and returns its attempt number, or throws if the budget does not allow it. */
    int take(int slice, MemorisationAudit.Match rejected) {
        if (attempts[slice] == PER_SLICE) {
            throw new Exhausted("the memorisation audit rejected slice " + (slice + 1) + " after " + PER_SLICE
                    + " redraws (distance " + String.format(java.util.Locale.ROOT, "%.4f", rejected.distance()) + " to training slice "
                    + rejected.nearestTrainingSlice() + "); try another seed");
        }
        if (done.size() == budget) {
            throw new Exhausted("the memorisation audit rejected more slices than the study's redraw budget of " + budget
                    + " (" + PER_SLICE + " per slice, 10% of " + attempts.length + " slices, at least " + MIN_BUDGET
                    + "); last rejected: slice " + (slice + 1) + "; try another seed");
        }
        attempts[slice]++;
        done.add(new Redraw(slice, attempts[slice], rejected.distance(), rejected.nearestTrainingSlice()));
        return attempts[slice];
    }

    int attempts(int slice) {
        return attempts[slice];
    }

    List<Redraw> done() {
        return List.copyOf(done);
    }

    int budget() {
        return budget;
    }
}
