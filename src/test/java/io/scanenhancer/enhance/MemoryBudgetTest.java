package io.scanenhancer.enhance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The budget's arithmetic, its default, and that the service's configured value reaches the enhancer. */
class MemoryBudgetTest {
    private static final long MIB = 1 << 20;

    @Test
    void rowsPerCallIsTheLargestCountWhoseEstimateFits() {
        MemoryBudget budget = new MemoryBudget(4096 * MIB, 400 * MIB, "test");
        for (int[] size : new int[][]{{1024, 1024}, {440, 368}, {1200, 1000}}) {
            int rows = budget.rowsPerCall(size[0], size[1]);
            assertTrue(rows >= 1, "a 4 GiB budget holds one row of " + size[0] + "x" + size[1]);
            assertTrue(budget.estimate(rows, size[0], size[1]) <= budget.bytes());
            assertTrue(budget.estimate(rows + 1, size[0], size[1]) > budget.bytes());
        }
        assertEquals(0, new MemoryBudget(500 * MIB, 400 * MIB, "test").rowsPerCall(1024, 1024), "not one row fits");
    }

    @Test
    void theDefaultTakesTheSafetyShareOfWhatTheHeapLeaves(@TempDir Path dir) throws Exception {
        MemoryBudget budget = MemoryBudget.fromEnvironment(0.8);
        long limit = MemoryBudget.cgroupLimit().orElse(MemoryBudget.physicalMemory());
        long expected = (long) ((Math.min(limit, MemoryBudget.physicalMemory()) - Runtime.getRuntime().maxMemory()) * 0.8);
        assertEquals(expected, budget.bytes(), 1.0, budget.source());
        assertTrue(budget.source().contains("x 0.80"), budget.source());

        Path file = dir.resolve("memory.max");
        Files.writeString(file, "max\n");
        assertEquals(OptionalLong.empty(), MemoryBudget.parseLimit(file), "cgroup v2 without a limit");
        Files.writeString(file, "9223372036854771712\n");
        assertEquals(OptionalLong.empty(), MemoryBudget.parseLimit(file), "cgroup v1's 'unlimited'");
        Files.writeString(file, "6442450944\n");
        assertEquals(OptionalLong.of(6L << 30), MemoryBudget.parseLimit(file), "a 6 GiB container");
        assertEquals(OptionalLong.empty(), MemoryBudget.parseLimit(dir.resolve("absent")));
    }

    @Test
    void theConfiguredBudgetReachesTheEnhancerAndAnImageThatCannotFitIsRefused() throws Exception {
        try (Enhancer e = Enhancers.open(Enhancers.DIFFUSION, null, 16, 3L << 30)) {
            MemoryBudget budget = ((DiffusionEnhancer) e).budget();
            assertEquals(3L << 30, budget.bytes());
            assertEquals("enhancer.memory.budget", budget.source());
        }
        try (Enhancer e = Enhancers.open(Enhancers.DIFFUSION, null, 16, MIB)) {
            // the process's native baseline (JVM, libtorch, weights) alone exceeds 1 MiB: not even one row fits
            MemoryBudgetExceededException refused = assertThrows(MemoryBudgetExceededException.class,
                    () -> ((DiffusionEnhancer) e).rowsPerCall(64, 64));
            assertTrue(refused.getMessage().contains("enhancer.memory.budget"), refused.getMessage());
        }
    }
}
