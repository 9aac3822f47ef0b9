package io.scanenhancer.enhance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * How much native memory (the process's resident memory outside the Java heap: libtorch, its arrays, the JVM's own)
 * the diffusion enhancer may use, and how many rows (image x posterior sample) one network call may then hold.
 *
 * <p>Estimate of one call, fitted to peak RSS measured with {@code ./enhancer bench --mode enhancer-memory} (README,
 * "Memory of the diffusion enhancer"): {@code baseline + rows x outputPixels x BYTES_PER_ROW_PIXEL}, where
 * outputPixels is the padded output size (2h x 2w) and baseline the process's native memory before the call.
 *
 * @param bytes         the budget
 * @param baselineBytes native memory in use before any call (the JVM, libtorch and the weights)
 * @param source        where the budget came from, for the log
 */
public record MemoryBudget(long bytes, long baselineBytes, String source) {
    /**
     * Bytes per output pixel per row of one network call, with tcmalloc. Least squares over seven measured calls (1 to
     * 32 rows, 440x368 and 1024x1024 outputs) gave peak RSS = 398 MiB + 1573 bytes x rows x pixels within 8 %; the
     * largest single figure above the RSS after loading was 1716. This bound is above all of them.
     */
    public static final double BYTES_PER_ROW_PIXEL = 1750;
    /** glibc malloc instead of tcmalloc: peak RSS per row measured 1.14 times higher (440x368, 4 rows). */
    public static final double GLIBC_FACTOR = 1.15;
    /** Share of (memory limit - Java heap max) the default budget takes; the rest is headroom for everything else. */
    public static final double DEFAULT_SAFETY_FACTOR = 0.8;
    private static final long MIB = 1 << 20;

    public MemoryBudget {
        if (bytes <= 0) {
            throw new IllegalArgumentException("the memory budget must be positive, was " + bytes);
        }
    }

    /**
     * The default: (memory limit - Java heap max) x safety factor, where the limit is the cgroup's memory.max when one
     * is set (a container) and physical memory otherwise.
     */
    public static MemoryBudget fromEnvironment(double safetyFactor) {
        long physical = physicalMemory();
        OptionalLong cgroup = cgroupLimit();
        long limit = cgroup.isPresent() ? Math.min(cgroup.getAsLong(), physical) : physical;
        long heap = Runtime.getRuntime().maxMemory();
        long bytes = (long) Math.max(MIB, (limit - heap) * safetyFactor);
        String source = String.format(Locale.ROOT, "(%s %d MiB - heap max %d MiB) x %.2f",
                cgroup.isPresent() ? "cgroup memory.max" : "physical memory", limit / MIB, heap / MIB, safetyFactor);
        return new MemoryBudget(bytes, currentBaseline(), source);
    }

    /** An explicit budget ({@code enhancer.memory.budget}). */
    public static MemoryBudget of(long bytes) {
        return new MemoryBudget(bytes, currentBaseline(), "enhancer.memory.budget");
    }

    /** The same budget with the baseline measured now: after the model is loaded, so that its weights count. */
    public MemoryBudget withCurrentBaseline() {
        return new MemoryBudget(bytes, currentBaseline(), source);
    }

    /** Estimated native peak of one network call. */
    public long estimate(int rows, int outputHeight, int outputWidth) {
        return baselineBytes + (long) Math.ceil(rows * (double) outputHeight * outputWidth * bytesPerRowPixel());
    }

    /** Most rows one call on outputHeight x outputWidth may hold; 0 when even one row does not fit. */
    public int rowsPerCall(int outputHeight, int outputWidth) {
        double perRow = (double) outputHeight * outputWidth * bytesPerRowPixel();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, Math.floor((bytes - baselineBytes) / perRow)));
    }

    static double bytesPerRowPixel() {
        return TCMALLOC ? BYTES_PER_ROW_PIXEL : BYTES_PER_ROW_PIXEL * GLIBC_FACTOR;
    }

    public String describe() {
        return String.format(Locale.ROOT, "%d MiB = %s; baseline %d MiB; %s, %.0f bytes per output pixel per row",
                bytes / MIB, source, baselineBytes / MIB, TCMALLOC ? "tcmalloc" : "glibc malloc (preload tcmalloc: less memory, faster)",
                bytesPerRowPixel());
    }

    /** Whether tcmalloc is loaded (LD_PRELOAD): the fit was made with it, glibc malloc needs more. */
    static final boolean TCMALLOC = mapsMention("libtcmalloc");

    /** Resident memory now minus the heap in use: the native memory already taken before any call. */
    static long currentBaseline() {
        Runtime r = Runtime.getRuntime();
        long rss = procStatusKiB("VmRSS:") * 1024;
        return rss <= 0 ? 0 : Math.max(0, rss - (r.totalMemory() - r.freeMemory()));
    }

    /** cgroup v2 memory.max, else v1 memory.limit_in_bytes; empty when unlimited or absent. */
    static OptionalLong cgroupLimit() {
        for (Path p : List.of(Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"))) {
            OptionalLong v = parseLimit(p);
            if (v.isPresent()) {
                return v;
            }
        }
        return OptionalLong.empty();
    }

    static OptionalLong parseLimit(Path file) {
        try {
            String s = Files.readString(file).trim();
            // v1 writes "unlimited" as a huge page-aligned number
            if (s.equals("max") || !s.matches("[0-9]+") || s.length() > 18 || Long.parseLong(s) >= (1L << 60)) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(s));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    static long physicalMemory() {
        long kib = 0;
        try {
            kib = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> l.replaceAll("[^0-9]", "")).mapToLong(Long::parseLong).findFirst().orElse(0);
        } catch (IOException | RuntimeException e) {
            // not Linux: the JVM's figure
        }
        if (kib > 0) {
            return kib * 1024;
        }
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }

    private static long procStatusKiB(String key) {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.replaceAll("[^0-9]", "")).mapToLong(Long::parseLong).findFirst().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean mapsMention(String library) {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains(library);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
