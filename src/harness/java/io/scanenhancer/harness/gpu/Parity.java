package io.scanenhancer.harness.gpu;

import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.diffusion.ModelRoutes;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.SamplerSettings;
import io.scanenhancer.diffusion.SuperResolutionPipeline;
import io.scanenhancer.enhance.DiffusionEnhancer;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.volume.NiftiVolume;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Parity of the project's own inference between two builds of the natives. {@code write DIR} runs on the stock CPU
 * stack (DJL's pytorch-native-cpu 2.7.1 from Maven) and stores inputs and outputs; {@code check DIR} runs wherever
 * the rebuilt JNI is (sid's libtorch on CPU, the GPU machine's CUDA libtorch) and compares. The paths as the service
 * runs them: the regression prior alone, the default sampler ({@link DiffusionEnhancer} with the model's defaults), the
 * uncertainty path (N posterior samples: their mean and the published spread) and, for a model routed by degradation,
 * the default path of k-space inputs (zero-filling and the k-space projection: torch FFTs, cuFFT on a GPU). The noise is
 * drawn in Java ({@code java.util.Random}), so the same seed gives the same noise on every device and only arithmetic
 * differs.
 *
 * <p>usage: {@code Parity write|check DIR [--model DIR] [--tolerance REL] [--out FILE] [--require-gpu]}
 */
public final class Parity {
    static final int SIZE = 128;
    static final int[] SLICES = {80, 90, 100};
    static final int UNCERTAINTY = 8;
    /** Relative to the reference's range: 5x the ~1e-3 that TF32 convolutions are expected to cost (GPU.md). */
    static final double DEFAULT_TOLERANCE = 5e-3;
    static final List<String> OUTPUTS = List.of("prior", "default", "uncertainty-mean", "uncertainty-spread");
    static final String KSPACE_OUTPUT = "kspace-default";

    private Parity() {
    }

    public static void main(String[] argv) throws Exception {
        System.exit(run(argv));
    }

    static int run(String[] argv) throws Exception {
        if (argv.length < 2 || !(argv[0].equals("write") || argv[0].equals("check"))) {
            System.err.println("usage: Parity write|check DIR [--model DIR] [--tolerance REL] [--out FILE] [--require-gpu]");
            return 2;
        }
        Path dir = Path.of(argv[1]);
        Path model = Path.of("models/sr3-mri-t1-v7");
        double tolerance = DEFAULT_TOLERANCE;
        Path out = null;
        boolean requireGpu = false;
        for (int i = 2; i < argv.length; i++) {
            switch (argv[i]) {
                case "--model" -> model = Path.of(argv[++i]);
                case "--tolerance" -> tolerance = Double.parseDouble(argv[++i]);
                case "--out" -> out = Path.of(argv[++i]);
                case "--require-gpu" -> requireGpu = true;
                default -> {
                    System.err.println("parity: unknown argument " + argv[i]);
                    return 2;
                }
            }
        }
        String missing = EngineInfo.gpuMissing(requireGpu);
        if (missing != null) {
            System.err.println("parity: " + missing);
            return EngineInfo.NO_GPU;
        }
        return argv[0].equals("write") ? write(dir, model) : check(dir, model, tolerance, out);
    }

    /** @param names one per list of byName: {@link #OUTPUTS}, then {@link #KSPACE_OUTPUT} where the model takes k-space inputs */
    private record Outputs(List<String> names, List<List<float[]>> byName, double[] scores, String method, String version) {
    }

    private static Outputs compute(Path modelDir, List<float[]> inputs) throws IOException {
        List<List<float[]>> byName = new ArrayList<>();
        Path priorDir = ModelRoutes.memberFor(modelDir, Degradation.AREA.id()); // the folder itself when plain
        try (PretrainedModel prior = PretrainedModel.loadPrior(priorDir)) {
            if (prior == null) {
                throw new IOException(modelDir + " records no regression prior");
            }
            byName.add(new SuperResolutionPipeline(prior).upscaleAll(inputs, SIZE, SIZE,
                    new SamplerSettings("regression", 1, 1, 0)).stream().map(SuperResolutionPipeline.Result::mean).toList());
        }
        List<FloatImage> images = inputs.stream().map(p -> new FloatImage(SIZE, SIZE, p)).toList();
        // no bicubic fallback: the guard's decision is compared through its scores, the model's output always
        try (DiffusionEnhancer enhancer = new DiffusionEnhancer(modelDir, false, inputs.size())) {
            List<EnhancedImage> def = enhancer.enhanceAll(images, EnhanceSettings.defaults());
            byName.add(def.stream().map(e -> e.image().pixels()).toList());
            List<EnhancedImage> unc = enhancer.enhanceAll(images, new EnhanceSettings(null, null, null, null, null, UNCERTAINTY));
            byName.add(unc.stream().map(e -> e.image().pixels()).toList());
            byName.add(unc.stream().map(e -> e.uncertainty().pixels()).toList());
            List<String> names = new ArrayList<>(OUTPUTS);
            double[] scores = def.stream().mapToDouble(EnhancedImage::oodScore).toArray();
            if (enhancer.runsModelFor(Degradation.KSPACE)) {
                List<EnhancedImage> k = enhancer.enhanceAll(images, EnhanceSettings.defaults().withDegradation(Degradation.KSPACE));
                byName.add(k.stream().map(e -> e.image().pixels()).toList());
                names.add(KSPACE_OUTPUT);
                double[] both = java.util.Arrays.copyOf(scores, 2 * scores.length);
                for (int i = 0; i < k.size(); i++) {
                    both[scores.length + i] = k.get(i).oodScore();
                }
                scores = both;
            }
            return new Outputs(names, byName, scores, def.get(0).method(), enhancer.modelVersion());
        }
    }

    private static int write(Path dir, Path model) throws IOException {
        Files.createDirectories(dir);
        NiftiVolume ch2 = Floats.ch2();
        List<float[]> inputs = new ArrayList<>();
        for (int k : SLICES) {
            inputs.add(Floats.ch2Slice(ch2, k, SIZE));
        }
        long t = System.nanoTime();
        Outputs o = compute(model, inputs);
        double seconds = (System.nanoTime() - t) / 1e9;
        Floats.write(dir.resolve("input.f32"), inputs);
        Properties p = new Properties();
        for (int i = 0; i < o.names().size(); i++) {
            Floats.write(dir.resolve(o.names().get(i) + ".f32"), o.byName().get(i));
        }
        p.setProperty("outputs", String.join(",", o.names()));
        p.setProperty("size", Integer.toString(SIZE));
        p.setProperty("images", Integer.toString(inputs.size()));
        p.setProperty("input", "ch2.nii.gz axial slices " + java.util.Arrays.toString(SLICES) + " centred in " + SIZE + "x" + SIZE);
        p.setProperty("uncertainty", Integer.toString(UNCERTAINTY));
        p.setProperty("method", o.method());
        for (int i = 0; i < o.scores().length; i++) {
            p.setProperty("oodScore." + i, Double.toString(o.scores()[i]));
        }
        p.setProperty("engine", EngineInfo.describe());
        p.setProperty("modelVersion", o.version());
        p.setProperty("written", Instant.now().toString());
        p.setProperty("seconds", String.format("%.1f", seconds));
        try (Writer w = Files.newBufferedWriter(dir.resolve("fixtures.properties"))) {
            p.store(w, "CPU parity fixtures (io.scanenhancer.harness.gpu.Parity write)");
        }
        System.out.printf("parity fixtures written to %s in %.1f s: %s%n", dir, seconds, EngineInfo.describe());
        return 0;
    }

    private static int check(Path dir, Path model, double tolerance, Path out) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("fixtures.properties"))) {
            p.load(r);
        }
        if (Integer.parseInt(p.getProperty("size")) != SIZE) {
            throw new IOException("fixtures of size " + p.getProperty("size") + ", this checker uses " + SIZE);
        }
        List<float[]> inputs = Floats.read(dir.resolve("input.f32"), SIZE * SIZE);
        long t = System.nanoTime();
        Outputs o = compute(model, inputs);
        // the version carries the digest of every weights file: the same version, the same networks
        if (!o.version().equals(p.getProperty("modelVersion"))) {
            throw new IOException("fixtures were written with " + p.getProperty("modelVersion") + ", the model here is " + o.version());
        }
        if (!String.join(",", o.names()).equals(p.getProperty("outputs"))) {
            throw new IOException("fixtures hold " + p.getProperty("outputs") + ", this model makes " + String.join(",", o.names()));
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        StringBuilder md = new StringBuilder();
        md.append("reference: ").append(p.getProperty("engine")).append('\n');
        md.append("this run:  ").append(EngineInfo.describe()).append('\n');
        md.append(String.format("%d images %dx%d -> %dx%d (%s); default: %s; uncertainty: %d samples; %.1f s here%n%n",
                inputs.size(), SIZE, SIZE, 2 * SIZE, 2 * SIZE, p.getProperty("input"), o.method(), UNCERTAINTY, seconds));
        md.append("| output | max abs diff | reference range | relative (max abs / range) | RMS diff / range | within ")
                .append(tolerance).append(" |\n|---|---|---|---|---|---|\n");
        boolean ok = o.method().equals(p.getProperty("method"));
        int per = 4 * SIZE * SIZE;
        for (int i = 0; i < o.names().size(); i++) {
            List<float[]> ref = Floats.read(dir.resolve(o.names().get(i) + ".f32"), per);
            double[] d = diff(ref, o.byName().get(i));
            boolean within = d[0] / d[1] <= tolerance;
            ok &= within;
            md.append(String.format("| %s | %.3e | %.4g | %.3e | %.3e | %s |%n", o.names().get(i), d[0], d[1], d[0] / d[1],
                    d[2] / d[1], within ? "yes" : "**NO**"));
        }
        double worstScore = 0;
        for (int i = 0; i < o.scores().length; i++) {
            worstScore = Math.max(worstScore, Math.abs(o.scores()[i] - Double.parseDouble(p.getProperty("oodScore." + i))));
        }
        md.append(String.format("%nguard scores (dB): largest difference %.3e; sampler description %s%n", worstScore,
                o.method().equals(p.getProperty("method")) ? "identical" : "DIFFERS: " + p.getProperty("method")));
        md.append("parity: ").append(ok ? "PASS" : "FAIL").append('\n');
        System.out.print(md);
        if (out != null) {
            Files.writeString(out, md.toString());
        }
        return ok ? 0 : 1;
    }

    /** max |a - b|, the reference's range (max - min), RMS of a - b. */
    static double[] diff(List<float[]> ref, List<float[]> got) {
        if (ref.size() != got.size()) {
            throw new IllegalStateException(ref.size() + " reference images, " + got.size() + " computed");
        }
        double max = 0, lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE, sq = 0;
        long n = 0;
        for (int k = 0; k < ref.size(); k++) {
            float[] a = ref.get(k), b = got.get(k);
            for (int i = 0; i < a.length; i++) {
                double d = Math.abs((double) a[i] - b[i]);
                max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
                sq += d * d;
                lo = Math.min(lo, a[i]);
                hi = Math.max(hi, a[i]);
                n++;
            }
        }
        return new double[] {max, Math.max(hi - lo, Float.MIN_NORMAL), Math.sqrt(sq / n)};
    }
}
