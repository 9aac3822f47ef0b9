package io.scanenhancer.enhance;

/** Even one image in one network call would need more native memory than the budget allows. */
public final class MemoryBudgetExceededException extends RuntimeException {
    public MemoryBudgetExceededException(String message) {
        super(message);
    }
}
