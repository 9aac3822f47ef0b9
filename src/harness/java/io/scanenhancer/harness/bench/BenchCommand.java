package io.scanenhancer.harness.bench;

import io.scanenhancer.cli.Args;
import io.scanenhancer.cli.ModelPaths;
import io.scanenhancer.training.SuperResolutionTraining;

import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.SamplerSettings;
import io.scanenhancer.diffusion.SuperResolutionPipeline;
import io.scanenhancer.enhance.Bicubic;
import io.scanenhancer.enhance.DiffusionEnhancer;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.volume.NiftiVolume;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code ./enhancer bench}: time per 256x256 -> 512x512 slice for each sampler and step count, batch 1 and batched,
 * with bicubic timed in the same run so that every figure is also a ratio; then ({@link StudyBench}) end-to-end
 * study time against model time for the sample series and a generated series; {@code --mode memory}: peak heap and
 * RSS of {@code serve} under -Xmx1g for series of 100, 300 and 600 slices of 512x512 ({@link MemoryBench}).
 * {@code --mode enhancer-memory}: peak RSS of the diffusion enhancer alone per image size, batch and uncertainty
 * ({@link EnhancerMemoryBench}). {@code --mode replicas}: studies per minute through 1 and 3 {@code serve} processes in
 * one consumer group ({@link ReplicaBench}). {@code --mode versions}: the default path of --model against
 * --baseline-model in one run ({@link ModelVersionsBench}). {@code --mode model|study|memory|enhancer-memory|replicas|versions|all}.
 * Prints Markdown tables.
 */
public final class BenchCommand {
    /** Options without a default take the mode's own (size: 256 per slice, 512 for --mode memory). */
    static final Args.Spec OPTIONS = Args.spec("bench", "time per slice per sampler and step count, study time, memory; Markdown tables")
            .text("mode", "all", "model, study, memory, enhancer-memory, replicas, versions or all")
            .text("baseline-model", "models/sr3-mri-t1-v2", "versions bench: the model --model is compared with")
            .text("device", null, "cpu or gpu: the device bench instead (DeviceBench)")
            .integer("size", null, "image size (default 256; --mode memory 512)")
            .integer("repeats", 2, "timed repetitions")
            .integer("batch", 4, "batch of the batched rows")
            .text("steps", "1,2,4,8,20", "DDIM step counts")
            .text("model", ModelPaths.DEFAULT_MODEL.toString(), "model folder")
            .integer("study-batch", io.scanenhancer.job.EnhanceStudyJob.DEFAULT_BATCH_SIZE, "study bench: images per enhancer call")
            .text("samples", "samples/mr-t1-colin27", "study and memory bench: the sample series")
            .integer("study-slices", 64, "study bench: slices of the generated series")
            .integer("study-size", 256, "study bench: their size")
            .text("heap", MemoryBench.HEAP, "memory bench: serve's -Xmx")
            .text("slices", "100,300,600", "memory bench: series lengths")
            .integer("uncertainty", null, "memory bench: posterior samples per slice (the diffusion model instead of bicubic)")
            .text("memory-budget", null, "memory bench: serve's enhancer.memory.budget, e.g. 4G (default: derived from the limit)")
            .text("sizes", "217x181,512x512", "enhancer-memory bench: image sizes")
            .text("batches", "1,8", "enhancer-memory bench: batches")
            .text("uncertainties", "0,4,8", "enhancer-memory bench: posterior samples")
            .integer("cap", 8192, "enhancer-memory bench: RSS cap of the probe, MiB")
            .integer("budget", 0, "enhancer-memory bench: memory budget, MiB (0 default, -1 none)")
            .text("replicas", "1,3", "replicas bench: serve processes per run")
            .integer("replica-studies", 30, "replicas bench: studies per run")
            .integer("replica-slices", 4, "replicas bench: slices per study (from the sample series)");

    private BenchCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] argv) {
        Args args;
        try {
            args = OPTIONS.parse(argv);
        } catch (Args.UsageException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        }
        if (args.helpRequested()) {
            System.out.print(OPTIONS.help());
            return 0;
        }
        int size = args.getInt("size", 256);
        int repeats = args.getInt("repeats");
        int batch = args.getInt("batch");
        String stepList = args.get("steps");
        Path modelDir = Path.of(args.get("model"));
        String device = args.get("device");
        if (device != null) {
            if (!List.of("cpu", "gpu").contains(device)) {
                System.err.println("bench: --device must be cpu or gpu, not '" + device + "'");
                return 2;
            }
            try {
                return DeviceBench.run(device, modelDir, size, repeats);
            } catch (Exception e) {
                System.err.println("bench failed: " + e);
                return 1;
            }
        }
        String mode = args.get("mode");
        if (!List.of("model", "study", "memory", "enhancer-memory", "replicas", "versions", "all").contains(mode)) {
            System.err.println("bench: --mode must be model, study, memory, enhancer-memory, replicas, versions or all, not '" + mode + "'");
            return 2;
        }
        if (mode.equals("versions")) {
            try {
                return ModelVersionsBench.run(args);
            } catch (Exception e) {
                System.err.println("bench failed: " + e);
                return 1;
            }
        }
        if (mode.equals("replicas")) {
            try {
                return ReplicaBench.run(args);
            } catch (Exception e) {
                System.err.println("bench failed: " + e);
                return 1;
            }
        }
        if (mode.equals("enhancer-memory")) {
            try {
                return EnhancerMemoryBench.run(args);
            } catch (Exception e) {
                System.err.println("bench failed: " + e);
                return 1;
            }
        }
        if (mode.equals("memory")) {
            try {
                return MemoryBench.run(args);
            } catch (Exception e) {
                System.err.println("bench failed: " + e);
                return 1;
            }
        }
        if (!mode.equals("model")) {
            int studyBatch = args.getInt("study-batch");
            try (DiffusionEnhancer enhancer = new DiffusionEnhancer(modelDir, true, studyBatch)) {
                StudyBench.run(enhancer, new io.scanenhancer.enhance.BicubicEnhancer(2), studyBatch,
                        Path.of(args.get("samples")), args.getInt("study-slices"),
                        args.getInt("study-size"), repeats);
            } catch (IllegalArgumentException e) {
                System.err.println("bench: " + e.getMessage());
                return 2;
            } catch (Exception e) {
                System.err.println("bench failed: " + e);
                return 1;
            }
            if (mode.equals("study")) {
                return 0;
            }
        }
        // the network pair that answers box inputs (a routed folder's area member), whose sampler this mode times
        Path boxMember;
        try {
            boxMember = io.scanenhancer.diffusion.ModelRoutes.memberFor(modelDir, "area");
        } catch (java.io.IOException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        }
        try (PretrainedModel model = PretrainedModel.load(boxMember);
             PretrainedModel prior = PretrainedModel.loadPrior(boxMember);
             DiffusionEnhancer enhancer = new DiffusionEnhancer(modelDir, true)) {
            SuperResolutionPipeline pipeline = new SuperResolutionPipeline(model, prior);
            ModelConfig.Sampling d = model.config().sampling();
            float[] slice = testSlice(size);
            System.out.printf("model %s v%s (%,d parameters), input %dx%d -> %dx%d, %d threads, best of %d runs%n",
                    model.config().id(), model.config().version(), model.parameterCount(), size, size, 2 * size, 2 * size,
                    Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()), repeats);
            // warm-up: the first call pays for JIT and allocator start-up
            pipeline.upscale(slice, size, size, new SamplerSettings("ddim", 1, 1, 0));
            double bicubic = best(repeats, () -> Bicubic.upscale(new FloatImage(size, size, slice), 2));
            System.out.println();
            System.out.println("| method | batch | ms per slice | x bicubic |");
            System.out.println("|---|---|---|---|");
            System.out.printf("| bicubic | 1 | %.1f | 1.0 |%n", bicubic);
            for (String sampler : List.of("ddim", "ddpm")) {
                for (String s : stepList.split(",")) {
                    int steps = Integer.parseInt(s.trim());
                    SamplerSettings settings = new SamplerSettings(sampler, steps, 1, 1);
                    double one = best(repeats, () -> pipeline.upscale(slice, size, size, settings));
                    System.out.printf("| %s %d steps | 1 | %.1f | %.0f |%n", sampler, steps, one, one / bicubic);
                    List<float[]> many = new ArrayList<>(Collections.nCopies(batch, slice));
                    double all = best(Math.max(1, repeats - 1), () -> pipeline.upscaleAll(many, size, size, settings)) / batch;
                    System.out.printf("| %s %d steps | %d | %.1f | %.0f |%n", sampler, steps, batch, all, all / bicubic);
                }
            }
            SamplerSettings posterior = new SamplerSettings("ddim", 4, 4, 1);
            double post = best(Math.max(1, repeats - 1), () -> pipeline.upscale(slice, size, size, posterior));
            System.out.printf("| ddim 4 steps, posterior of 4 samples | 1 | %.1f | %.0f |%n", post, post / bicubic);
            SamplerSettings regression = new SamplerSettings("regression", 1, 1, 0);
            double reg = best(repeats, () -> new SuperResolutionPipeline(prior).upscale(slice, size, size, regression));
            System.out.printf("| regression U-Net (baseline) | 1 | %.1f | %.0f |%n", reg, reg / bicubic);
            SamplerSettings def = new SamplerSettings(d.sampler(), d.steps(), d.samples(), d.seed(), d.strength());
            double ccdf = best(repeats, () -> pipeline.upscale(slice, size, size, def));
            System.out.printf("| default sampler: %s %d steps from the regression prior, strength %.2f, %d sample(s) | 1 | %.1f | %.0f |%n",
                    d.sampler(), d.steps(), d.strength(), d.samples(), ccdf, ccdf / bicubic);
            FloatImage input = new FloatImage(size, size, slice);
            double guarded = best(repeats, () -> enhancer.enhance(input, EnhanceSettings.defaults()));
            System.out.printf("| **default setting as the service runs it (sampler + out-of-distribution self-test)** | 1 | %.1f | %.0f |%n",
                    guarded, guarded / bicubic);
            List<FloatImage> inputs = new ArrayList<>(Collections.nCopies(batch, input));
            double guardedBatch = best(Math.max(1, repeats - 1), () -> enhancer.enhanceAll(inputs, EnhanceSettings.defaults())) / batch;
            System.out.printf("| **default setting as the service runs it** | %d | %.1f | %.0f |%n", batch, guardedBatch, guardedBatch / bicubic);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("bench failed: " + e);
            return 1;
        }
    }

    /** Axial slice 90 of ch2 centred in a size x size frame: real anatomy, so timings include realistic values. */
    static float[] testSlice(int size) throws java.io.IOException {
        return io.scanenhancer.harness.gpu.Floats.ch2Slice(NiftiVolume.read(Path.of(SuperResolutionTraining.DEFAULT_DATA)), 90, size);
    }

    private static double best(int repeats, Runnable r) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            r.run();
            best = Math.min(best, (System.nanoTime() - t) / 1e6);
        }
        return best;
    }
}
