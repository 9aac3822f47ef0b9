package io.scanenhancer.harness.bench;

import io.scanenhancer.training.SuperResolutionTraining;
import io.scanenhancer.diffusion.SuperResolutionPipeline;
import io.scanenhancer.enhance.DiffusionEnhancer;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.volume.NiftiVolume;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One enhancer call as the service makes it, alone in its own JVM so that its peak RSS is the enhancer's:
 * {@code batch} Colin 27 axial slices of {@code height x width} through {@link DiffusionEnhancer#enhanceAll} with
 * {@code uncertainty} posterior samples (0: none). Prints one line {@code PROBE key=value ...} with VmHWM after the
 * model is loaded and after the call, the seconds and a SHA-256 of every output float (so that two splits of the same
 * work can be compared bit for bit). A watchdog ends the process with status 3 when its RSS passes {@code capMiB},
 * so a case that would take the whole machine is stopped and reported as over the cap instead.
 *
 * <p>Arguments: height width batch uncertainty capMiB budgetMiB (0: the enhancer's default budget).
 */
public final class EnhancerMemoryProbe {
    static final int OVER_CAP = 3;

    private EnhancerMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        int height = Integer.parseInt(args[0]);
        int width = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int uncertainty = Integer.parseInt(args[3]);
        long capKiB = Long.parseLong(args[4]) << 10;
        long budgetMiB = Long.parseLong(args[5]);
        watchdog(capKiB);
        List<FloatImage> inputs = slices(height, width, batch);
        EnhanceSettings settings = new EnhanceSettings(null, null, null, null, null, uncertainty == 0 ? null : uncertainty);
        try (DiffusionEnhancer enhancer = EnhancerMemoryBench.open(budgetMiB)) {
            long loaded = status("VmHWM:");
            int oh = 2 * SuperResolutionPipeline.paddedSize(height), ow = 2 * SuperResolutionPipeline.paddedSize(width);
            long start = System.nanoTime();
            List<EnhancedImage> out = enhancer.enhanceAll(inputs, settings);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("PROBE loadedKiB=%d peakKiB=%d heapKiB=%d seconds=%.1f sha256=%s budgetMiB=%d rowsPerCall=%d%n",
                    loaded, status("VmHWM:"), heapCommitted.get() >> 10, seconds, digest(out), enhancer.budget().bytes() >> 20,
                    enhancer.budget().rowsPerCall(oh, ow));
        }
        System.exit(0);
    }

    /** Axial slices 60, 61, ... of Colin 27 (217 x 181), centred in (cropped to or padded into) height x width. */
    static List<FloatImage> slices(int height, int width, int count) throws Exception {
        NiftiVolume v = NiftiVolume.read(Path.of(SuperResolutionTraining.DEFAULT_DATA));
        List<FloatImage> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            float[] axial = v.axial(60 + n % 60);
            float[] px = new float[height * width];
            int oy = (height - v.ny()) / 2, ox = (width - v.nx()) / 2;
            for (int y = 0; y < v.ny(); y++) {
                for (int x = 0; x < v.nx(); x++) {
                    int ty = y + oy, tx = x + ox;
                    if (ty >= 0 && ty < height && tx >= 0 && tx < width) {
                        px[ty * width + tx] = axial[y * v.nx() + x];
                    }
                }
            }
            out.add(new FloatImage(height, width, px));
        }
        return out;
    }

    static String digest(List<EnhancedImage> images) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (EnhancedImage e : images) {
            update(md, e.image().pixels());
            if (e.uncertainty() != null) {
                update(md, e.uncertainty().pixels());
            }
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    private static void update(MessageDigest md, float[] values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 4);
        b.asFloatBuffer().put(values);
        md.update(b.array());
    }

    /** Largest Java heap committed while the probe ran: the part of the RSS that is the heap's, at most. */
    private static final java.util.concurrent.atomic.AtomicLong heapCommitted = new java.util.concurrent.atomic.AtomicLong();

    private static void watchdog(long capKiB) {
        Thread t = new Thread(() -> {
            while (true) {
                heapCommitted.accumulateAndGet(Runtime.getRuntime().totalMemory(), Math::max);
                long rss = status("VmRSS:");
                if (rss > capKiB) {
                    System.out.printf("PROBE overCapKiB=%d%n", rss);
                    System.out.flush();
                    Runtime.getRuntime().halt(OVER_CAP);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-watchdog");
        t.setDaemon(true);
        t.start();
    }

    /** A VmXXX line of /proc/self/status, in KiB. */
    static long status(String key) {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.replaceAll("[^0-9]", "")).mapToLong(Long::parseLong).findFirst().orElse(-1);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
