package io.scanenhancer.cli;

import io.scanenhancer.diffusion.DiffusionTrainer;
import io.scanenhancer.diffusion.LearningRateSchedule;
import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.NoiseSchedule;
import io.scanenhancer.diffusion.SuperResolutionDiffusion;
import io.scanenhancer.diffusion.TrainingBatch;
import io.scanenhancer.enhance.Bicubic;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.volume.HeldOutSlab;
import io.scanenhancer.training.MriTrainingData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * {@code ./enhancer train}: trains the diffusion model and, on the very same batches, the regression U-Net baseline
 * of the same size, so that the two are compared at equal data and budget. Resumes from the output folder.
 */
public final class TrainCommand {
    public static final String DEFAULT_DATA = "/usr/share/mricron/templates/ch2.nii.gz";

    private TrainCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] argv) {
        Args args = new Args(argv);
        Path data = Path.of(args.get("data", DEFAULT_DATA));
        Path out = Path.of(args.get("out", "target/train"));
        int steps = args.getInt("steps", 20000);
        double maxMinutes = args.getDouble("max-minutes", 170);
        int batch = args.getInt("batch", 16);
        int patch = args.getInt("patch", 64);
        long seed = args.getInt("seed", 20261125);
        int snapshotEvery = args.getInt("snapshot-every", 500);
        float lr = (float) args.getDouble("learning-rate", 3e-4);
        // decays to 5% by --steps; a run cut short by --max-minutes ends part-way down the curve
        LearningRateSchedule schedule = LearningRateSchedule.cosine(lr, 0.05f, steps);
        int[] channels = parseChannels(args.get("channels", "32,64,128"));
        // part of every derived object's identity (Contributing Equipment, UIDs): new weights need a new version
        String modelVersion = args.get("model-version", "2");
        if (data.getFileName().toString().startsWith("ch2better")) {
            System.err.println("refusing to train on ch2better: it is an upsampled, hard-masked copy of ch2 (see MODEL_CARD.md)");
            return 2;
        }
        try {
            Files.createDirectories(out.resolve("snapshots"));
            MriTrainingData training = MriTrainingData.load(data, HeldOutSlab.CH2, 1, 99);
            Path configFile = out.resolve("config.json");
            ModelConfig config;
            if (Files.exists(configFile)) {
                config = ModelConfig.read(configFile);
                System.out.println("resuming with the recorded config " + configFile);
            } else {
                float residualScale = estimateResidualScale(training, new Random(seed), patch);
                config = initialConfig(modelVersion, channels, residualScale, data, batch, patch, seed, schedule);
                config.write(configFile);
            }
            SuperResolutionDiffusion diffusion = new SuperResolutionDiffusion(NoiseSchedule.cosine(config.trainTimesteps()), config.residualScale());
            try (DiffusionTrainer d = new DiffusionTrainer(DiffusionTrainer.Objective.DIFFUSION, diffusion, config.channels(), patch, batch, schedule, 0.999f, seed, out);
                 DiffusionTrainer r = new DiffusionTrainer(DiffusionTrainer.Objective.REGRESSION, diffusion, config.channels(), patch, batch, schedule, 0.999f, seed, out)) {
                boolean resumed = d.resumed() && r.resumed();
                System.out.printf("training on %s: %d images outside the held-out axial slab %d..%d (margin %d); %,d parameters per network; %s%n",
                        data.getFileName(), training.regionCount(), HeldOutSlab.CH2.firstSlice(), HeldOutSlab.CH2.endSlice() - 1,
                        HeldOutSlab.CH2.margin(), d.parameterCount(), resumed ? "resumed at step " + d.step() : "from scratch");
                Random random = new Random(seed ^ (d.step() * 0x9E3779B97F4A7C15L));
                long start = System.nanoTime();
                long startStep = d.step();
                double emaD = Double.NaN, emaR = Double.NaN;
                while (d.step() < steps) {
                    double minutes = (System.nanoTime() - start) / 6e10;
                    if (minutes > maxMinutes) {
                        System.out.printf("time budget of %.0f minutes reached at step %d%n", maxMinutes, d.step());
                        break;
                    }
                    TrainingBatch b = training.nextBatch(random, batch, patch);
                    float lossD = d.train(b);
                    float lossR = r.train(b);
                    if (!Float.isFinite(lossD) || !Float.isFinite(lossR)) {
                        System.err.println("loss is not finite at step " + d.step() + "; stopping (the last checkpoint is intact)");
                        return 1;
                    }
                    emaD = Double.isNaN(emaD) ? lossD : 0.98 * emaD + 0.02 * lossD;
                    emaR = Double.isNaN(emaR) ? lossR : 0.98 * emaR + 0.02 * lossR;
                    long step = d.step();
                    if (step % 25 == 0) {
                        double elapsed = (System.nanoTime() - start) / 1e9;
                        double rate = (step - startStep) / elapsed;
                        double eta = Math.min((steps - step) / rate, maxMinutes * 60 - elapsed);
                        System.out.printf("step %d/%d  diffusion loss %.4f  regression loss %.5f  %.2f steps/s  ETA %s%n",
                                step, steps, emaD, emaR, rate, duration(eta));
                    }
                    if (step % snapshotEvery == 0) {
                        d.saveCheckpoint(out);
                        r.saveCheckpoint(out);
                        d.saveEmaWeights(out.resolve("snapshots").resolve(String.format("diffusion-%06d.params", step)));
                        r.saveEmaWeights(out.resolve("snapshots").resolve(String.format("regression-%06d.params", step)));
                    }
                }
                d.saveCheckpoint(out);
                r.saveCheckpoint(out);
                d.saveEmaWeights(out.resolve("snapshots").resolve(String.format("diffusion-%06d.params", d.step())));
                r.saveEmaWeights(out.resolve("snapshots").resolve(String.format("regression-%06d.params", r.step())));
                Map<String, Object> details = new LinkedHashMap<>(config.training().details());
                details.put("stepsDone", d.step());
                details.put("lastSessionMinutes", Math.round((System.nanoTime() - start) / 6e10));
                config.withTraining(new ModelConfig.Training(details)).write(configFile);
                System.out.println("done at step " + d.step() + "; snapshots in " + out.resolve("snapshots")
                        + "; next: ./enhancer evaluate --select " + out);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("train: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("train failed: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    static int[] parseChannels(String s) {
        String[] p = s.split(",");
        int[] c = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            c[i] = Integer.parseInt(p[i].trim());
        }
        return c;
    }

    /** 1 / std of (HR - bicubic(LR)) over a few batches, so that the diffused residual has about unit variance. */
    static float estimateResidualScale(MriTrainingData data, Random random, int patch) {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < 32; i++) {
            TrainingBatch b = data.nextBatch(random, 16, patch);
            int half = patch / 2;
            for (int k = 0; k < b.count(); k++) {
                float[] lr = new float[half * half];
                System.arraycopy(b.lowRes(), k * half * half, lr, 0, lr.length);
                FloatImage up = Bicubic.upscale(new FloatImage(half, half, lr), 2);
                for (int p = 0; p < patch * patch; p++) {
                    double d = b.highRes()[k * patch * patch + p] - up.pixels()[p];
                    sum += d * d;
                    n++;
                }
            }
        }
        return (float) (1 / Math.sqrt(sum / n));
    }

    static ModelConfig initialConfig(String modelVersion, int[] channels, float residualScale, Path data, int batch, int patch, long seed, LearningRateSchedule lr) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("data", data.getFileName().toString());
        details.put("dataSource", "Debian package mricron-data, /usr/share/mricron/templates/ch2.nii.gz (Colin 27 T1, 1 mm, unmasked)");
        details.put("heldOutAxialSlices", HeldOutSlab.CH2.firstSlice() + ".." + (HeldOutSlab.CH2.endSlice() - 1));
        details.put("excludedAxialSlices", HeldOutSlab.CH2.excludedFrom() + ".." + (HeldOutSlab.CH2.excludedTo() - 1));
        details.put("orientations", "axial, coronal, sagittal (coronal and sagittal cut above and below the excluded slices)");
        details.put("augmentation", "dequantisation, flips, 90-degree rotations, gamma exp(U(-0.4,0.4)), smooth quadratic bias field, 20% contrast inversion, Gaussian blur sigma U(0,0.5) before the box in half the pairs, additive noise up to 2% in half the pairs");
        details.put("timesteps", "half uniform over 0..999, half uniform over 0..299");
        details.put("batch", batch);
        details.put("patch", patch);
        details.put("optimizer", "Adam, learning rate " + lr.describe() + ", gradient clipping 1.0, EMA 0.999");
        details.put("seed", seed);
        return new ModelConfig("sr3-mri-t1", modelVersion, 2, channels, "v", "cosine", 1000, residualScale,
                new ModelConfig.Normalisation("percentile", 1, 99),
                new ModelConfig.Sampling("ddim", 4, 1, 0, 1.0),
                new ModelConfig.Guard("self-test on the input's 2x box-downsampled copy", 0.0),
                new ModelConfig.Training(details), null, null, null, null);
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
