package io.scanenhancer.cli;

import io.scanenhancer.diffusion.GeneratorBatch;
import io.scanenhancer.diffusion.GeneratorConfig;
import io.scanenhancer.diffusion.LearningRateSchedule;
import io.scanenhancer.diffusion.NetworkTrainer;
import io.scanenhancer.diffusion.NoiseSchedule;
import io.scanenhancer.diffusion.SliceGenerationObjective;
import io.scanenhancer.training.GeneratorTraining;
import io.scanenhancer.training.GeneratorTrainingData;
import io.scanenhancer.training.SuperResolutionTraining;
import io.scanenhancer.training.TrainingLoop;
import io.scanenhancer.volume.HeldOutSlab;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./enhancer train-generator}: the slice generator on whole low-resolution axial slices of ch2 outside the
 * held-out slab. Checkpoints and EMA snapshots go to {@code --out}; a second run with the same folder resumes.
 */
public final class TrainGeneratorCommand {
    static final Args.Spec OPTIONS = Args.spec("train-generator", "trains the synthetic-slice generator (resumes from --out)")
            .text("data", SuperResolutionTraining.DEFAULT_DATA, "T1 volume (NIfTI) whose axial slices outside the held-out slab it learns")
            .text("out", "target/train-generator", "run folder: config, checkpoints, snapshots/")
            .integer("steps", 30000, "stop at this step; the learning rate decays to 5% by then")
            .number("max-minutes", 170.0, "stop after this many minutes in this session")
            .integer("batch", 16, "slices per batch")
            .option("seed", Args.Kind.LONG, "20261202", "seed of the initialisation, batches and noise")
            .integer("snapshot-every", 1000, "checkpoint and EMA snapshot every N steps")
            .number("learning-rate", 2e-4, "Adam's base learning rate")
            .option("channels", Args.Kind.INT_LIST, "48,96,192", "U-Net widths of its three levels")
            .text("model-version", "1", "the generator's version");

    private TrainGeneratorCommand() {
    }

    public static int run(String[] argv) {
        return OPTIONS.run(argv, TrainGeneratorCommand::train);
    }

    private static int train(Args args) throws Exception {
        Path data = args.path("data");
        Path out = args.path("out");
        int steps = args.getInt("steps"), batch = args.getInt("batch");
        long seed = args.getLong("seed");
        LearningRateSchedule schedule = LearningRateSchedule.cosine((float) args.getDouble("learning-rate"), 0.05f, steps);
        SuperResolutionTraining.requireTrainable(data);
        GeneratorTrainingData training = GeneratorTrainingData.load(data, HeldOutSlab.CH2);
        GeneratorConfig config = GeneratorTraining.openOrCreate(out, training, data, args.get("model-version"),
                args.getInts("channels"), batch, seed, schedule);
        NetworkTrainer.Settings settings = new NetworkTrainer.Settings(config.channels(), batch, config.size(), schedule, 0.999f, seed);
        try (NetworkTrainer<GeneratorBatch> g = new NetworkTrainer<>(
                new SliceGenerationObjective(NoiseSchedule.cosine(config.trainTimesteps())), settings, out)) {
            TrainingLoop<GeneratorBatch> loop = new TrainingLoop<>(
                    new TrainingLoop.Settings(steps, args.getDouble("max-minutes"), args.getInt("snapshot-every"), 50, seed),
                    out, random -> training.nextBatch(random, batch), List.of(g),
                    GeneratorTraining.progressInto(out.resolve("config.json")), System.out);
            System.out.printf("training the generator on %d axial slices of %s outside %d..%d; %s%n",
                    training.slices().size(), data.getFileName(), HeldOutSlab.CH2.excludedFrom(),
                    HeldOutSlab.CH2.excludedTo() - 1, loop.describe());
            if (loop.run() == TrainingLoop.Outcome.NON_FINITE_LOSS) {
                return 1;
            }
            System.out.println("done at step " + loop.step() + "; snapshots in " + out.resolve("snapshots"));
        }
        return 0;
    }
}
