package io.scanenhancer.training;

import io.scanenhancer.diffusion.NetworkTrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The training loop (the Trainer of denoising-diffusion-pytorch): batches from a {@link BatchSource}, one
 * optimisation step per network on the very same batch, a step and a time budget, the loss EMA, steps/s and ETA in
 * the log, a checkpoint and an EMA snapshot of every network every {@code snapshotEvery} steps and at the end, and
 * a stop at the first non-finite loss (the last checkpoint stays intact). The networks resume from {@code out} when
 * they are built; the loop carries on from their step.
 *
 * @param <B> the batch type
 */
public final class TrainingLoop<B> {
    /** Salt of the batch stream, so that it differs from the networks' noise streams of the same seed. */
    private static final long BATCH_STREAM = 0x5DEECE66DL;
    private static final double LOSS_EMA = 0.98;

    /**
     * @param steps      stop when the networks reach this step
     * @param maxMinutes stop after this much wall time in this session
     * @param seed       the batch stream's seed
     */
    public record Settings(long steps, double maxMinutes, int snapshotEvery, int logEvery, long seed) {
    }

    /** Why the loop ended. */
    public enum Outcome { STEPS_DONE, TIME_BUDGET, NON_FINITE_LOSS }

    /** Writes the run's progress (steps done, minutes of this session) into its config. */
    @FunctionalInterface
    public interface ProgressRecord {
        void write(Map<String, Object> progress) throws IOException;
    }

    private final Settings settings;
    private final Path out;
    private final BatchSource<B> batches;
    private final List<NetworkTrainer<B>> networks;
    private final ProgressRecord progress;
    private final PrintStream log;

    public TrainingLoop(Settings settings, Path out, BatchSource<B> batches, List<NetworkTrainer<B>> networks,
                        ProgressRecord progress, PrintStream log) {
        if (networks.isEmpty()) {
            throw new IllegalArgumentException("nothing to train");
        }
        long first = networks.get(0).step();
        for (NetworkTrainer<B> n : networks) {
            if (n.step() != first) {
                throw new IllegalStateException("the checkpoints in " + out + " are at different steps ("
                        + networks.stream().map(x -> x.name() + " " + x.step()).toList() + ")");
            }
        }
        this.settings = settings;
        this.out = out;
        this.batches = batches;
        this.networks = List.copyOf(networks);
        this.progress = progress;
        this.log = log;
    }

    public long step() {
        return networks.get(0).step();
    }

    public Outcome run() throws IOException {
        long start = System.nanoTime();
        long startStep = step();
        double[] ema = new double[networks.size()];
        java.util.Arrays.fill(ema, Double.NaN);
        Outcome outcome = Outcome.STEPS_DONE;
        while (step() < settings.steps()) {
            if ((System.nanoTime() - start) / 6e10 > settings.maxMinutes()) {
                log.printf(Locale.ROOT, "time budget of %.0f minutes reached at step %d%n", settings.maxMinutes(), step());
                outcome = Outcome.TIME_BUDGET;
                break;
            }
            B batch = batches.next(NetworkTrainer.stepRandom(settings.seed() ^ BATCH_STREAM, step()));
            for (int i = 0; i < networks.size(); i++) {
                float loss = networks.get(i).train(batch);
                if (!Float.isFinite(loss)) {
                    log.println(networks.get(i).name() + " loss is not finite at step " + step()
                            + "; stopping (the last checkpoint is intact)");
                    return Outcome.NON_FINITE_LOSS;
                }
                ema[i] = Double.isNaN(ema[i]) ? loss : LOSS_EMA * ema[i] + (1 - LOSS_EMA) * loss;
            }
            long step = step();
            if (step % settings.logEvery() == 0) {
                logProgress(step, startStep, start, ema);
            }
            if (step % settings.snapshotEvery() == 0) {
                save(start);
            }
        }
        save(start);
        return outcome;
    }

    private void logProgress(long step, long startStep, long start, double[] ema) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double rate = (step - startStep) / elapsed;
        double eta = Math.min((settings.steps() - step) / rate, settings.maxMinutes() * 60 - elapsed);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "step %d/%d", step, settings.steps()));
        for (int i = 0; i < networks.size(); i++) {
            line.append(String.format(Locale.ROOT, "  %s loss %.5f", networks.get(i).name(), ema[i]));
        }
        line.append(String.format(Locale.ROOT, "  %.2f steps/s  ETA %s", rate, duration(eta)));
        log.println(line);
    }

    /** Checkpoints (for the resume) and EMA snapshots (for the selection), then the progress in the config. */
    private void save(long start) throws IOException {
        Path snapshots = out.resolve("snapshots");
        Files.createDirectories(snapshots);
        for (NetworkTrainer<B> n : networks) {
            n.saveCheckpoint(out);
            n.saveEmaWeights(snapshots.resolve(snapshotName(n.name(), n.step())));
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("stepsDone", step());
        p.put("lastSessionMinutes", Math.round((System.nanoTime() - start) / 6e10));
        progress.write(p);
    }

    /** {@code NAME-000500.params}: what {@link SnapshotSelection} and the generator's evaluation look for. */
    public static String snapshotName(String network, long step) {
        return String.format(Locale.ROOT, "%s-%06d.params", network, step);
    }

    /** The loop's first line: what trains, and whether it resumed. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (NetworkTrainer<B> n : networks) {
            parts.add(String.format(Locale.ROOT, "%s %,d parameters", n.name(), n.parameterCount()));
        }
        long step = step();
        boolean adamRestored = networks.stream().allMatch(NetworkTrainer::resumedOptimiser);
        return String.join(", ", parts) + "; " + (step == 0 ? "at step 0"
                : "resumed at step " + step + (adamRestored ? "" : " (Adam's moments not in the checkpoint: restarted)"));
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
