package io.scanenhancer.training;

import io.scanenhancer.diffusion.LearningRateSchedule;
import io.scanenhancer.diffusion.NetworkTrainer;
import io.scanenhancer.diffusion.NoiseSchedule;
import io.scanenhancer.diffusion.RegressionObjective;
import io.scanenhancer.diffusion.SuperResolutionDiffusion;
import io.scanenhancer.diffusion.SuperResolutionObjective;
import io.scanenhancer.diffusion.TrainingBatch;
import io.scanenhancer.diffusion.TrainingObjective;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop stopped at a budget and started again on the same folder ends where one uninterrupted loop ends: same
 * step, the same batches, and (Adam's moments being in the checkpoint) the same losses and the same weights.
 */
class TrainingLoopTest {
    private static final int[] CHANNELS = {8, 16, 16};
    private static final SuperResolutionDiffusion SR = new SuperResolutionDiffusion(NoiseSchedule.cosine(1000), 2f);

    /** An objective that records the loss of every step it computes. */
    private record Recording<B>(TrainingObjective<B> objective, List<Float> losses) implements TrainingObjective<B> {
        @Override
        public String name() {
            return objective.name();
        }

        @Override
        public NDArray loss(B batch, Function<NDList, NDArray> network, NDManager scope, Random random) {
            NDArray loss = objective.loss(batch, network, scope, random);
            losses.add(loss.getFloat());
            return loss;
        }
    }

    /**
     * Trains both networks on {@code out} up to {@code steps}, recording the diffusion network's losses, then one
     * probe step on a fixed batch (after the last checkpoint: a resume must not see it). Returns the progress records.
     */
    private static List<Map<String, Object>> train(Path out, long steps, List<Float> losses) throws IOException {
        NetworkTrainer.Settings settings = new NetworkTrainer.Settings(CHANNELS, 2, 16, LearningRateSchedule.cosine(2e-3f, 0.05f, 8), 0.9f, 3);
        List<Map<String, Object>> records = new ArrayList<>();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (NetworkTrainer<TrainingBatch> d = new NetworkTrainer<>(new Recording<>(new SuperResolutionObjective(SR), losses), settings, out);
             NetworkTrainer<TrainingBatch> r = new NetworkTrainer<>(new RegressionObjective(SR), settings, out)) {
            TrainingLoop<TrainingBatch> loop = new TrainingLoop<>(new TrainingLoop.Settings(steps, 60, 2, 1, 11), out,
                    random -> io.scanenhancer.diffusion.TinyModels.batch(random, 2, 16), List.of(d, r), records::add, new PrintStream(log, true, StandardCharsets.UTF_8));
            assertEquals(TrainingLoop.Outcome.STEPS_DONE, loop.run());
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("step " + steps + "/" + steps + "  diffusion loss "), log.toString());
            d.train(io.scanenhancer.diffusion.TinyModels.batch(new Random(99), 2, 16), new Random(7));
        }
        return records;
    }

    @Test
    void aLoopResumedFromItsFolderEndsWhereAnUninterruptedOneEnds(@TempDir Path dir) throws IOException {
        Path straight = dir.resolve("straight"), split = dir.resolve("split");
        List<Float> a = new ArrayList<>(), b = new ArrayList<>();
        List<Map<String, Object>> records = train(straight, 8, a);
        assertEquals(8L, records.get(records.size() - 1).get("stepsDone"));
        train(split, 5, b);
        List<Map<String, Object>> resumed = train(split, 8, b);
        assertEquals(8L, resumed.get(resumed.size() - 1).get("stepsDone"));
        // straight: steps 1..8 and the probe; split: steps 1..5, a probe, steps 6..8 and a probe
        assertEquals(9, a.size());
        assertEquals(10, b.size());
        List<Float> expected = new ArrayList<>(a.subList(0, 5));
        expected.add(b.get(5)); // the first session's probe, on the weights after step 5
        expected.addAll(a.subList(5, 9));
        for (int i = 0; i < b.size(); i++) {
            if (i != 5) {
                // libtorch's threaded reductions may differ in the last bits (TrainingReproducibilityTest)
                assertEquals(expected.get(i), b.get(i), 1e-4 * Math.abs(expected.get(i)), "loss " + i);
            }
        }
        for (String name : List.of("diffusion", "regression")) {
            assertEquals("8", Files.readString(split.resolve(name + "-step.txt")));
            assertTrue(Files.exists(split.resolve("snapshots").resolve(TrainingLoop.snapshotName(name, 8))));
        }
    }
}
