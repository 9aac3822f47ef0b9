package io.scanenhancer.diffusion;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sampling loop frees each step's intermediates as it goes: what it leaves behind does not grow with the steps. */
class SamplingMemoryTest {

    @Test
    void arraysLeftInTheCallersManagerDoNotGrowWithTheStepCount() {
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        SuperResolutionDiffusion diffusion = new SuperResolutionDiffusion(schedule, 5f);
        // a stand-in network: any function of its input will do for counting arrays
        Function<NDList, NDArray> network = in -> in.get(0).get(new NDIndex(":, 0:1")).mul(0.1f);
        int[] left = new int[2];
        int[] steps = {2, 12};
        for (int i = 0; i < steps.length; i++) {
            for (Scheduler scheduler : new Scheduler[] {new DdimScheduler(schedule, 0), new DdpmScheduler(schedule)}) {
                try (NDManager manager = NDManager.newBaseManager()) {
                    NDArray lowRes = manager.randomUniform(0, 1, new Shape(1, 1, 16, 16));
                    int before = ((BaseNDManager) manager).getManagedArrays().size();
                    diffusion.sample(network, scheduler, steps[i], lowRes, 3);
                    left[i] += ((BaseNDManager) manager).getManagedArrays().size() - before;
                }
            }
        }
        assertEquals(left[0], left[1], "arrays left after " + steps[0] + " and " + steps[1] + " steps");
    }
}
