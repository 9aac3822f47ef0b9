package io.scanenhancer.harness.bench;

import ai.djl.engine.Engine;
import io.scanenhancer.enhance.DiffusionEnhancer;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.image.FloatImage;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * {@code ./enhancer bench --device cpu|gpu}: slices per second at 256 -> 512 for batch 1, 8 and 32, the default
 * setting as the service runs it. DJL places arrays on gpu(0) whenever its engine sees a GPU, so "gpu" is the
 * default device there and the run refuses (exit 3) where the engine sees none, rather than print CPU figures
 * under a GPU heading.
 */
final class DeviceBench {
    static final int NO_GPU = 3;

    private DeviceBench() {
    }

    static int run(String device, Path modelDir, int size, int repeats) throws Exception {
        Engine engine = Engine.getInstance();
        int gpus = engine.getGpuCount();
        if (device.equals("gpu") && gpus == 0) {
            System.err.printf("bench: no GPU present: DJL's %s engine %s sees 0 CUDA devices (natives: %s). "
                    + "Run it on a GPU host with CUDA natives (deploy/gpu/README.md); CPU figures: --device cpu%n",
                    engine.getEngineName(), engine.getVersion(), System.getProperty("ai.djl.pytorch.flavor",
                            System.getenv().getOrDefault("PYTORCH_FLAVOR", "cpu")));
            return NO_GPU;
        }
        if (device.equals("cpu") && gpus > 0) {
            System.err.println("bench: this engine sees " + gpus + " GPU(s) and would run on gpu(0); "
                    + "set CUDA_VISIBLE_DEVICES= for CPU figures");
            return 2;
        }
        float[] slice = BenchCommand.testSlice(size);
        System.out.printf("device %s (%s %s, default device %s), %dx%d -> %dx%d, default setting with the guard, best of %d%n%n",
                device, engine.getEngineName(), engine.getVersion(), engine.defaultDevice(), size, size, 2 * size, 2 * size,
                repeats);
        System.out.println("| device | batch | slices/s | ms per slice |");
        System.out.println("|---|---|---|---|");
        for (int batch : new int[] {1, 8, 32}) {
            try (DiffusionEnhancer enhancer = new DiffusionEnhancer(modelDir, true, batch)) {
                List<FloatImage> inputs = Collections.nCopies(batch, new FloatImage(size, size, slice));
                enhancer.enhanceAll(inputs.subList(0, 1), EnhanceSettings.defaults()); // warm-up
                double best = Double.MAX_VALUE;
                for (int r = 0; r < repeats; r++) {
                    long t = System.nanoTime();
                    enhancer.enhanceAll(inputs, EnhanceSettings.defaults());
                    best = Math.min(best, (System.nanoTime() - t) / 1e9);
                }
                System.out.printf("| %s | %d | %.2f | %.1f |%n", device, batch, batch / best, best * 1000 / batch);
            }
        }
        return 0;
    }
}
