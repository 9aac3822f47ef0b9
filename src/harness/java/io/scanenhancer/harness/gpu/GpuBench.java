package io.scanenhancer.harness.gpu;

import ai.djl.engine.Engine;
import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.diffusion.ModelRoutes;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.SamplerSettings;
import io.scanenhancer.diffusion.SuperResolutionPipeline;
import io.scanenhancer.enhance.DiffusionEnhancer;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.volume.NiftiVolume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Slices per second on one device, for the rows the GPU question needs: 256 -> 512 and 512 -> 1024, batch 1, 8 and 32,
 * with the default sampler as the service runs it (with the out-of-distribution self-test), the regression prior
 * alone, and {@code uncertainty: 8}. Each row is written as soon as it is measured, so a run cut short keeps what it
 * had; a row that runs out of memory says so and the next goes on. Memory: nvidia-smi's memory.used after the row on
 * a GPU (PyTorch's caching allocator keeps what it took, so it is the high-water mark so far), VmHWM on a CPU.
 *
 * <p>usage: {@code GpuBench --device gpu|cpu [--model DIR] [--inputs DIR] [--sizes 256,512] [--batches 1,8,32]
 * [--modes default,kspace,prior,uncertainty] [--uncertainty 8] [--repeats 2] [--time-budget-s S] [--max-call-pixels N]
 * [--out FILE]}; {@code GpuBench --write-inputs DIR [--sizes ...]} writes the test slices (needs mricron-data).
 */
public final class GpuBench {
    private GpuBench() {
    }

    public static void main(String[] argv) throws Exception {
        System.exit(run(argv));
    }

    static int run(String[] argv) throws Exception {
        String device = null;
        Path model = Path.of("models/sr3-mri-t1-v7"), inputs = null, out = null, writeInputs = null;
        List<Integer> sizes = List.of(256, 512), batches = List.of(1, 8, 32);
        List<String> modes = List.of("default", "kspace", "prior", "uncertainty");
        int uncertainty = 8, repeats = 2;
        double budget = Double.MAX_VALUE;
        long maxCallPixels = Long.MAX_VALUE;
        for (int i = 0; i < argv.length; i++) {
            String v = i + 1 < argv.length ? argv[i + 1] : "";
            switch (argv[i]) {
                case "--device" -> device = v;
                case "--model" -> model = Path.of(v);
                case "--inputs" -> inputs = Path.of(v);
                case "--write-inputs" -> writeInputs = Path.of(v);
                case "--out" -> out = Path.of(v);
                case "--sizes" -> sizes = ints(v);
                case "--batches" -> batches = ints(v);
                case "--modes" -> modes = List.of(v.split(","));
                case "--uncertainty" -> uncertainty = Integer.parseInt(v);
                case "--repeats" -> repeats = Integer.parseInt(v);
                case "--time-budget-s" -> budget = Double.parseDouble(v);
                case "--max-call-pixels" -> maxCallPixels = Long.parseLong(v);
                default -> {
                    System.err.println("gpu-bench: unknown argument " + argv[i]);
                    return 2;
                }
            }
            i++;
        }
        if (writeInputs != null) {
            Files.createDirectories(writeInputs);
            NiftiVolume ch2 = Floats.ch2();
            for (int size : sizes) {
                Floats.write(writeInputs.resolve("slice-" + size + ".f32"), List.of(Floats.ch2Slice(ch2, 90, size)));
            }
            return 0;
        }
        if (!"gpu".equals(device) && !"cpu".equals(device)) {
            System.err.println("gpu-bench: --device gpu|cpu is required");
            return 2;
        }
        String missing = EngineInfo.gpuMissing(device.equals("gpu"));
        if (missing != null) {
            System.err.println("gpu-bench: " + missing);
            return EngineInfo.NO_GPU;
        }
        if (device.equals("cpu") && Engine.getInstance().getGpuCount() > 0) {
            System.err.println("gpu-bench: this engine sees a GPU and would run there; set CUDA_VISIBLE_DEVICES= for CPU figures");
            return 2;
        }
        Bench b = new Bench(device, model, out, repeats, uncertainty, budget, maxCallPixels);
        b.emit(String.format("device %s: %s; %d threads; best of %d after one warm-up call; uncertainty %d samples%n%n"
                        + "| device | in -> out | mode | batch | slices/s | ms per slice | memory after row |%n|---|---|---|---|---|---|---|%n",
                device, EngineInfo.describe(), Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()),
                repeats, uncertainty));
        for (int size : sizes) {
            float[] slice = inputs == null ? Floats.ch2Slice(Floats.ch2(), 90, size)
                    : Floats.read(inputs.resolve("slice-" + size + ".f32"), size * size).get(0);
            for (String mode : modes) {
                for (int batch : batches) {
                    b.row(size, slice, mode, batch);
                }
            }
        }
        return 0;
    }

    private static final class Bench {
        final String device;
        final Path model, out;
        final int repeats, uncertainty;
        final double budget;
        final long maxCallPixels;
        final long start = System.nanoTime();

        Bench(String device, Path model, Path out, int repeats, int uncertainty, double budget, long maxCallPixels) {
            this.device = device;
            this.model = model;
            this.out = out;
            this.repeats = repeats;
            this.uncertainty = uncertainty;
            this.budget = budget;
            this.maxCallPixels = maxCallPixels;
        }

        void row(int size, float[] slice, String mode, int batch) throws IOException {
            String head = String.format("| %s | %d -> %d | %s | %d |", device, size, 2 * size,
                    mode.equals("uncertainty") ? "uncertainty: " + uncertainty : mode, batch);
            long callPixels = (long) batch * (mode.equals("uncertainty") ? uncertainty : 1) * 4L * size * size;
            if (callPixels > maxCallPixels) {
                emit(head + String.format(" skipped: %,d output pixels in one call, over --max-call-pixels | | |%n", callPixels));
                return;
            }
            if ((System.nanoTime() - start) / 1e9 > budget) {
                emit(head + " not run: time budget spent | | |\n");
                return;
            }
            try {
                double best = time(size, slice, mode, batch);
                emit(head + String.format(" %.2f | %.1f | %s |%n", batch / best, best * 1000 / batch, memory()));
            } catch (RuntimeException | OutOfMemoryError e) {
                String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                boolean oom = e instanceof OutOfMemoryError || msg.toLowerCase().contains("out of memory");
                emit(head + " " + (oom ? "out of memory" : "failed") + ": " + msg.replace('|', '/')
                        + " | | " + memory() + " |\n");
            }
        }

        /** Best wall time in seconds of one call over {@code batch} copies of the slice. */
        double time(int size, float[] slice, String mode, int batch) throws IOException {
            if (mode.equals("prior")) {
                Path priorDir = ModelRoutes.memberFor(model, Degradation.AREA.id()); // the folder itself when plain
                try (PretrainedModel prior = PretrainedModel.loadPrior(priorDir)) {
                    SuperResolutionPipeline pipeline = new SuperResolutionPipeline(prior);
                    List<float[]> many = new ArrayList<>(Collections.nCopies(batch, slice));
                    SamplerSettings regression = new SamplerSettings("regression", 1, 1, 0);
                    return best(() -> pipeline.upscaleAll(many, size, size, regression));
                }
            }
            EnhanceSettings settings = switch (mode) {
                case "default" -> EnhanceSettings.defaults();
                case "kspace" -> EnhanceSettings.defaults().withDegradation(Degradation.KSPACE);
                case "uncertainty" -> new EnhanceSettings(null, null, null, null, null, uncertainty);
                default -> throw new IllegalArgumentException("unknown mode " + mode + ": default, kspace, prior or uncertainty");
            };
            try (DiffusionEnhancer enhancer = new DiffusionEnhancer(model, true, batch)) {
                if (mode.equals("kspace") && !enhancer.runsModelFor(Degradation.KSPACE)) {
                    throw new IllegalArgumentException(model + " was not trained for k-space inputs (it would time zero-filling)");
                }
                List<FloatImage> images = Collections.nCopies(batch, new FloatImage(size, size, slice));
                return best(() -> enhancer.enhanceAll(images, settings));
            }
        }

        double best(Runnable call) {
            call.run(); // warm-up: allocator, cuDNN's algorithm choice, JIT
            double best = Double.MAX_VALUE;
            for (int r = 0; r < repeats; r++) {
                long t = System.nanoTime();
                call.run();
                best = Math.min(best, (System.nanoTime() - t) / 1e9);
            }
            return best;
        }

        String memory() {
            if (device.equals("gpu")) {
                return nvidiaSmiMemory();
            }
            try {
                return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                        .map(l -> "VmHWM " + l.substring(6).trim()).findFirst().orElse("?");
            } catch (IOException e) {
                return "?";
            }
        }

        void emit(String text) throws IOException {
            System.out.print(text);
            System.out.flush();
            if (out != null) {
                Files.writeString(out, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
    }

    static String nvidiaSmiMemory() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=memory.used,memory.total", "--format=csv,noheader")
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 ? text.lines().findFirst().orElse("?") + " (nvidia-smi)" : "nvidia-smi failed";
        } catch (IOException | InterruptedException e) {
            return "no nvidia-smi";
        }
    }

    private static List<Integer> ints(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }
}
