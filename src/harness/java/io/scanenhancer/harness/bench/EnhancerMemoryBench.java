package io.scanenhancer.harness.bench;

import io.scanenhancer.cli.Args;
import io.scanenhancer.cli.ModelPaths;
import io.scanenhancer.enhance.DiffusionEnhancer;
import io.scanenhancer.enhance.MemoryBudget;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./enhancer bench --mode enhancer-memory}: the peak RSS of the diffusion enhancer alone, one
 * {@link EnhancerMemoryProbe} child JVM per case (image size x batch x uncertainty), as the service calls it. Prints a
 * Markdown table; a case whose RSS passes {@code --cap} (MiB, default 8192) is stopped and shown as over it.
 */
final class EnhancerMemoryBench {
    private EnhancerMemoryBench() {
    }

    /**
     * The enhancer as the service opens it (at most 16 images a call, enhancer.batch.max); {@code budgetMiB} 0 means
     * its default budget, -1 none at all (every image and sample of a call at once, as before the budget existed).
     */
    static DiffusionEnhancer open(long budgetMiB) throws java.io.IOException {
        MemoryBudget budget = budgetMiB == 0 ? MemoryBudget.fromEnvironment(MemoryBudget.DEFAULT_SAFETY_FACTOR)
                : MemoryBudget.of(budgetMiB < 0 ? Long.MAX_VALUE / 4 : budgetMiB << 20);
        return new DiffusionEnhancer(ModelPaths.DEFAULT_MODEL, true, 16, budget);
    }

    static int run(Args args) throws Exception {
        List<String> sizes = List.of(args.get("sizes", "217x181,512x512").split(","));
        List<String> batches = List.of(args.get("batches", "1,8").split(","));
        List<String> uncertainties = List.of(args.get("uncertainties", "0,4,8").split(","));
        long cap = args.getInt("cap", 8192);
        long budget = args.getInt("budget", 0);
        System.out.println("| size | batch | uncertainty | budget | rows per call | RSS after loading | peak RSS | heap committed (max) "
                + "| seconds | output SHA-256 (first 16) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (String size : sizes) {
            String[] hw = size.trim().split("x");
            for (String batch : batches) {
                for (String u : uncertainties) {
                    Map<String, String> r = probe(hw[0], hw[1], batch.trim(), u.trim(), cap, budget);
                    String peak = r.containsKey("overCapKiB") ? "> " + cap + " MiB (stopped at the cap)"
                            : (Long.parseLong(r.getOrDefault("peakKiB", "-1024")) >> 10) + " MiB";
                    String budgetShown = budget < 0 ? "none" : r.getOrDefault("budgetMiB", "?") + " MiB";
                    String rows = budget < 0 ? "all" : r.getOrDefault("rowsPerCall", "?");
                    System.out.printf("| %s | %s | %s | %s | %s | %s MiB | %s | %s MiB | %s | %s |%n", size.trim(), batch.trim(),
                            u.trim(), budgetShown, rows, Long.parseLong(r.getOrDefault("loadedKiB", "-1024")) >> 10, peak,
                            Long.parseLong(r.getOrDefault("heapKiB", "-1024")) >> 10, r.getOrDefault("seconds", "-"),
                            r.getOrDefault("sha256", "-"));
                }
            }
        }
        return 0;
    }

    private static Map<String, String> probe(String h, String w, String batch, String uncertainty, long capMiB, long budgetMiB)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=" + Integer.getInteger("ai.djl.pytorch.num_threads", 2),
                "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"),
                EnhancerMemoryProbe.class.getName(), h, w, batch, uncertainty, Long.toString(capMiB), Long.toString(budgetMiB)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, String> values = new LinkedHashMap<>();
        StringBuilder log = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("PROBE ")) {
                    for (String kv : line.substring(6).trim().split(" ")) {
                        String[] parts = kv.split("=", 2);
                        values.put(parts[0], parts[1]);
                    }
                } else {
                    log.append(line).append('\n');
                }
            }
        }
        p.waitFor(1, TimeUnit.MINUTES);
        if (values.isEmpty()) {
            System.err.println("probe " + h + "x" + w + " batch " + batch + " uncertainty " + uncertainty + " failed ("
                    + p.exitValue() + "): " + log);
        }
        return values;
    }
}
