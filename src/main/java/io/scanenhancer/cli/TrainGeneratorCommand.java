package io.scanenhancer.cli;

import io.scanenhancer.diffusion.DiffusionTrainer;
import io.scanenhancer.diffusion.GeneratorBatch;
import io.scanenhancer.diffusion.GeneratorConfig;
import io.scanenhancer.diffusion.LearningRateSchedule;
import io.scanenhancer.diffusion.NoiseSchedule;
import io.scanenhancer.diffusion.SliceGenerationDiffusion;
import io.scanenhancer.training.GeneratorTrainingData;
import io.scanenhancer.volume.HeldOutSlab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code ./enhancer train-generator}: trains the slice generator on whole low-resolution axial slices of ch2 outside
 * the held-out slab. Checkpoints and EMA snapshots go to {@code --out}; a second run with the same folder resumes.
 */
public final class TrainGeneratorCommand {
    private TrainGeneratorCommand() {
    }

    public static int run(String[] argv) {
        Args args = new Args(argv);
        Path data = Path.of(args.get("data", TrainCommand.DEFAULT_DATA));
        Path out = Path.of(args.get("out", "target/train-generator"));
        int steps = args.getInt("steps", 30000);
        double maxMinutes = args.getDouble("max-minutes", 170);
        int batch = args.getInt("batch", 16);
        long seed = args.getInt("seed", 20261202);
        int snapshotEvery = args.getInt("snapshot-every", 1000);
        float lr = (float) args.getDouble("learning-rate", 2e-4);
        LearningRateSchedule schedule = LearningRateSchedule.cosine(lr, 0.05f, steps);
        int[] channels = TrainCommand.parseChannels(args.get("channels", "48,96,192"));
        String version = args.get("model-version", "1");
        if (data.getFileName().toString().startsWith("ch2better")) {
            System.err.println("refusing to train on ch2better: it is an upsampled, hard-masked copy of ch2 (see MODEL_CARD.md)");
            return 2;
        }
        try {
            GeneratorTrainingData training = GeneratorTrainingData.load(data, HeldOutSlab.CH2);
            Path configFile = out.resolve("config.json");
            GeneratorConfig config;
            if (Files.exists(configFile)) {
                config = GeneratorConfig.read(configFile);
                System.out.println("resuming with the recorded config " + configFile);
            } else {
                config = initialConfig(version, channels, training, data, batch, seed, schedule);
                config.write(configFile);
            }
            SliceGenerationDiffusion diffusion = new SliceGenerationDiffusion(NoiseSchedule.cosine(config.trainTimesteps()));
            Files.createDirectories(out.resolve("snapshots"));
            try (DiffusionTrainer g = new DiffusionTrainer(DiffusionTrainer.Objective.GENERATION, null, config.channels(),
                    config.size(), batch, schedule, 0.999f, seed, out)) {
                System.out.printf("training the generator on %d axial slices of %s outside %d..%d; %,d parameters; %s%n",
                        training.slices().size(), data.getFileName(), HeldOutSlab.CH2.excludedFrom(),
                        HeldOutSlab.CH2.excludedTo() - 1, g.parameterCount(), g.resumed() ? "resumed at step " + g.step() : "from scratch");
                Random random = new Random(seed ^ (g.step() * 0x9E3779B97F4A7C15L));
                long start = System.nanoTime();
                long startStep = g.step();
                double ema = Double.NaN;
                while (g.step() < steps) {
                    double minutes = (System.nanoTime() - start) / 6e10;
                    if (minutes > maxMinutes) {
                        System.out.printf("time budget of %.0f minutes reached at step %d%n", maxMinutes, g.step());
                        break;
                    }
                    GeneratorBatch b = training.nextBatch(random, batch);
                    float loss = g.train(b, diffusion);
                    if (!Float.isFinite(loss)) {
                        System.err.println("loss is not finite at step " + g.step() + "; stopping (the last checkpoint is intact)");
                        return 1;
                    }
                    ema = Double.isNaN(ema) ? loss : 0.98 * ema + 0.02 * loss;
                    long step = g.step();
                    if (step % 50 == 0) {
                        double elapsed = (System.nanoTime() - start) / 1e9;
                        double rate = (step - startStep) / elapsed;
                        double eta = Math.min((steps - step) / rate, maxMinutes * 60 - elapsed);
                        System.out.printf("step %d/%d  loss %.4f  %.2f steps/s  ETA %s%n", step, steps, ema, rate, TrainCommand.duration(eta));
                    }
                    if (step % snapshotEvery == 0) {
                        g.saveCheckpoint(out);
                        g.saveEmaWeights(out.resolve("snapshots").resolve(String.format("generator-%06d.params", step)));
                        recordProgress(config, configFile, g.step(), start);
                    }
                }
                g.saveCheckpoint(out);
                g.saveEmaWeights(out.resolve("snapshots").resolve(String.format("generator-%06d.params", g.step())));
                recordProgress(config, configFile, g.step(), start);
                System.out.println("done at step " + g.step() + "; snapshots in " + out.resolve("snapshots"));
            }
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("train-generator: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("train-generator failed: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    private static void recordProgress(GeneratorConfig config, Path file, long step, long start) throws java.io.IOException {
        GeneratorConfig current = GeneratorConfig.read(file);
        Map<String, Object> details = new LinkedHashMap<>(current.training());
        details.put("stepsDone", step);
        details.put("lastSessionMinutes", Math.round((System.nanoTime() - start) / 6e10));
        current.withTraining(details).write(file);
    }

    static GeneratorConfig initialConfig(String version, int[] channels, GeneratorTrainingData training, Path data,
                                         int batch, long seed, LearningRateSchedule lr) {
        List<GeneratorTrainingData.Slice> slices = training.slices();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("data", data.getFileName().toString());
        details.put("dataSource", "Debian package mricron-data, /usr/share/mricron/templates/ch2.nii.gz (Colin 27 T1, 1 mm, unmasked)");
        details.put("trainingSlices", "axial " + slices.get(0).index() + ".." + slices.get(slices.size() - 1).index()
                + " except " + HeldOutSlab.CH2.excludedFrom() + ".." + (HeldOutSlab.CH2.excludedTo() - 1) + " (" + slices.size() + " slices)");
        details.put("heldOutAxialSlices", HeldOutSlab.CH2.firstSlice() + ".." + (HeldOutSlab.CH2.endSlice() - 1));
        details.put("canvas", GeneratorTrainingData.CANVAS + " mm, box-averaged by " + GeneratorTrainingData.FACTOR);
        details.put("augmentation", "left-right mirror, shift up to 8 mm, gain U(0.95, 1.05)");
        details.put("timesteps", "uniform over 0..999");
        details.put("batch", batch);
        details.put("optimizer", "Adam, learning rate " + lr.describe() + ", gradient clipping 1.0, EMA 0.999");
        details.put("seed", seed);
        int first = slices.get(0).index(), last = slices.get(slices.size() - 1).index();
        return new GeneratorConfig("mri-t1-axial-generator", version, GeneratorTrainingData.SIZE,
                GeneratorTrainingData.FACTOR, channels, "v", "cosine", 1000, training.depth(), 1.0,
                new int[] {first, last}, new GeneratorConfig.Sampling("ddim", 50),
                new GeneratorConfig.SuperResolution("sr3-mri-t1-v2", 2), details, null, null);
    }
}
