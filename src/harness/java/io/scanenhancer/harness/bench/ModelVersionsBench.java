package io.scanenhancer.harness.bench;

import io.scanenhancer.cli.Args;
import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.enhance.DiffusionEnhancer;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.image.FloatImage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * {@code ./enhancer bench --mode versions}: the default path as the service runs it (sampler + guard), per 512x512
 * output slice, for a baseline model and a new one in the same process, their repetitions interleaved so that a
 * change of load on shared cores touches both alike; every row is also a ratio to the baseline's area default, the
 * path a v2 request took. Issue 20 asks that v3's default be no slower than v2's.
 */
final class ModelVersionsBench {
    private ModelVersionsBench() {
    }

    static int run(Args args) throws Exception {
        Path baselineDir = Path.of(args.get("baseline-model"));
        Path modelDir = Path.of(args.get("model"));
        int size = args.getInt("size", 256);
        int repeats = Math.max(1, args.getInt("repeats"));
        int batch = args.getInt("batch");
        FloatImage input = new FloatImage(size, size, BenchCommand.testSlice(size));
        List<FloatImage> inputs = new ArrayList<>(Collections.nCopies(batch, input));
        try (DiffusionEnhancer baseline = new DiffusionEnhancer(baselineDir, true, batch);
             DiffusionEnhancer model = new DiffusionEnhancer(modelDir, true, batch)) {
            List<Row> rows = new ArrayList<>();
            for (DiffusionEnhancer e : List.of(baseline, model)) {
                for (Degradation d : Degradation.values()) {
                    if (e.runsModelFor(d)) {
                        rows.add(new Row(e, d, 1, List.of(input)));
                        if (batch > 1) {
                            rows.add(new Row(e, d, batch, inputs));
                        }
                    }
                }
            }
            for (Row r : rows) {
                r.time(); // warm-up: JIT, allocator and the first use of each input size
            }
            for (int i = 0; i < repeats; i++) {
                for (Row r : rows) {
                    r.times.add(r.time());
                }
            }
            System.out.printf("default path (sampler + out-of-distribution self-test), input %dx%d -> %dx%d, %d interleaved runs%n%n",
                    size, size, 2 * size, 2 * size, repeats);
            System.out.println("| model | degradation | batch | ms per slice (best) | x baseline's area default (same batch): of the bests "
                    + "| median of the runs' own ratios (lowest - highest) |");
            System.out.println("|---|---|---|---|---|---|");
            for (Row r : rows) {
                Row reference = rows.stream().filter(o -> o.enhancer == baseline && o.degradation == Degradation.AREA && o.batch == r.batch)
                        .findFirst().orElse(r);
                double[] ratios = new double[repeats];
                for (int i = 0; i < repeats; i++) {
                    ratios[i] = r.times.get(i) / reference.times.get(i);
                }
                Arrays.sort(ratios);
                System.out.printf("| %s %s | %s | %d | %.1f | %.2f | %.2f (%.2f - %.2f) |%n", r.enhancer.modelId(), r.enhancer.modelVersion(),
                        r.degradation.id(), r.batch, r.best(), r.best() / reference.best(), median(ratios), ratios[0], ratios[repeats - 1]);
            }
            System.out.println();
            System.out.println("A run's own ratio divides a row's time by the baseline's, measured a few seconds apart in the same "
                    + "round, so a change of load on shared cores between rounds cancels; the bests may come from different rounds.");
        }
        return 0;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static final class Row {
        final DiffusionEnhancer enhancer;
        final Degradation degradation;
        final int batch;
        final List<FloatImage> inputs;
        final List<Double> times = new ArrayList<>();

        Row(DiffusionEnhancer enhancer, Degradation degradation, int batch, List<FloatImage> inputs) {
            this.enhancer = enhancer;
            this.degradation = degradation;
            this.batch = batch;
            this.inputs = inputs;
        }

        double best() {
            return times.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        /** Milliseconds per slice of one call. */
        double time() {
            long t = System.nanoTime();
            enhancer.enhanceAll(inputs, EnhanceSettings.defaults().withDegradation(degradation));
            return (System.nanoTime() - t) / 1e6 / batch;
        }
    }
}
