package io.scanenhancer.cli;

import io.scanenhancer.anatomy.Ch2TissueLabels;
import io.scanenhancer.anatomy.LabelVolume;
import io.scanenhancer.diffusion.LabelBatch;
import io.scanenhancer.diffusion.LabelRenderingObjective;
import io.scanenhancer.diffusion.LearningRateSchedule;
import io.scanenhancer.diffusion.NetworkTrainer;
import io.scanenhancer.diffusion.NoiseSchedule;
import io.scanenhancer.diffusion.RendererConfig;
import io.scanenhancer.training.RendererTraining;
import io.scanenhancer.training.RendererTrainingData;
import io.scanenhancer.training.SuperResolutionTraining;
import io.scanenhancer.training.TrainingLoop;
import io.scanenhancer.volume.HeldOutSlab;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./enhancer train-renderer}: the label-conditioned diffusion renderer on patches of ch2's axial training
 * slices and their tissue labels (never the held-out slab or its margin). Checkpoints and EMA snapshots go to
 * {@code --out}; the same command line again resumes. At the end the EMA weights are shipped as a model folder
 * ({@code --ship}, default OUT/model) that {@code synthesize --renderer diffusion --renderer-model DIR} loads.
 */
public final class TrainRendererCommand {
    static final Args.Spec OPTIONS = Args.spec("train-renderer", "trains the label-conditioned diffusion renderer (resumes from --out)")
            .text("data", SuperResolutionTraining.DEFAULT_DATA, "T1 volume (NIfTI) whose axial training slices it learns")
            .text("labels", Ch2TissueLabels.COMMITTED.toString(), "tissue label volume on the same grid")
            .text("out", "target/train-renderer", "run folder: config, checkpoints, snapshots/")
            .text("ship", null, "model folder to write the final EMA weights to (default OUT/model)")
            .integer("steps", 20000, "stop at this step; the learning rate decays to 5% by then")
            .number("max-minutes", 600.0, "stop after this many minutes in this session")
            .integer("batch", 16, "patches per batch")
            // the defaults are the shipped renderer's measured choice (RENDERER-VALIDATION.md), so the bare command reproduces it
            .choice("neighbours", "1", "label planes on each side of the slice: 0 = 2-D, 1 = 2.5-D (slices 1 mm above and below)", "0", "1")
            .integer("patch", 64, "training window, pixels at 1 mm (a multiple of 8)")
            .option("seed", Args.Kind.LONG, "20261219", "seed of the initialisation, batches and noise")
            .integer("snapshot-every", 1000, "checkpoint and EMA snapshot every N steps")
            .number("learning-rate", 2e-4, "Adam's base learning rate")
            .option("channels", Args.Kind.INT_LIST, "32,64,128", "U-Net widths of its three levels")
            .integer("sampling-steps", 25, "DDIM steps the shipped renderer samples with (recorded in its config)")
            .text("noise-turn-mm", "3", "how far along the slice axis a study's shared noise turns to a new field (recorded in its "
                    + "config; 'none': one field per study, as v1)")
            .text("model-version", "2", "the renderer's version");

    private TrainRendererCommand() {
    }

    public static int run(String[] argv) {
        return OPTIONS.run(argv, TrainRendererCommand::train);
    }

    static Double noiseTurnMm(String value) {
        return NoiseTurnArgument.parse("--noise-turn-mm", value);
    }

    private static int train(Args args) throws Exception {
        Path data = args.path("data");
        Path out = args.path("out");
        Path ship = args.get("ship") == null ? out.resolve("model") : args.path("ship");
        int steps = args.getInt("steps"), batch = args.getInt("batch"), patch = args.getInt("patch");
        if (patch < 8 || patch % 8 != 0) {
            throw new Args.UsageException("--patch must be a positive multiple of 8, got " + patch);
        }
        long seed = args.getLong("seed");
        LearningRateSchedule schedule = LearningRateSchedule.cosine((float) args.getDouble("learning-rate"), 0.05f, steps);
        LabelVolume labels = LabelVolume.read(args.path("labels"));
        RendererTrainingData training = RendererTrainingData.load(data, labels, HeldOutSlab.CH2, Integer.parseInt(args.get("neighbours")));
        RendererConfig config = RendererTraining.openOrCreate(out, training, data, new RendererTraining.Recipe(training.neighbours(), patch,
                args.getInts("channels"), batch, seed, args.getInt("sampling-steps"), noiseTurnMm(args.get("noise-turn-mm")),
                args.get("model-version")), schedule);
        NetworkTrainer.Settings settings = new NetworkTrainer.Settings(config.channels(), batch, patch, schedule, 0.999f, seed);
        LabelRenderingObjective objective = new LabelRenderingObjective(NoiseSchedule.cosine(config.trainTimesteps()), config.conditioning());
        try (NetworkTrainer<LabelBatch> r = new NetworkTrainer<>(objective, settings, out)) {
            TrainingLoop<LabelBatch> loop = new TrainingLoop<>(
                    new TrainingLoop.Settings(steps, args.getDouble("max-minutes"), args.getInt("snapshot-every"), 50, seed),
                    out, random -> training.nextBatch(random, batch, patch), List.of(r),
                    RendererTraining.progressInto(out.resolve("config.json")), System.out);
            int[] slices = training.slices();
            System.out.printf("training the label renderer (%s) on %d axial slices of %s (%d..%d, never %d..%d); %s%n",
                    config.neighbours() == 0 ? "2-D" : "2.5-D, " + config.neighbours() + " neighbour plane(s) each side",
                    slices.length, data.getFileName(), slices[0], slices[slices.length - 1], HeldOutSlab.CH2.excludedFrom(),
                    HeldOutSlab.CH2.excludedTo() - 1, loop.describe());
            if (loop.run() == TrainingLoop.Outcome.NON_FINITE_LOSS) {
                return 1;
            }
            Path snapshot = out.resolve("snapshots").resolve(TrainingLoop.snapshotName(objective.name(), loop.step()));
            RendererTraining.ship(RendererConfig.read(out.resolve("config.json")), snapshot, loop.step(), ship);
            System.out.println("done at step " + loop.step() + "; snapshots in " + out.resolve("snapshots")
                    + "; renderer shipped to " + ship + " (synthesize --renderer diffusion --renderer-model " + ship + ")");
        }
        return 0;
    }
}
