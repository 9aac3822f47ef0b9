package io.scanenhancer.cli;

import io.scanenhancer.anatomy.Ch2TissueLabels;
import io.scanenhancer.diffusion.LearningRateSchedule;
import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.NetworkTrainer;
import io.scanenhancer.diffusion.NoiseSchedule;
import io.scanenhancer.diffusion.RegressionObjective;
import io.scanenhancer.diffusion.SuperResolutionDiffusion;
import io.scanenhancer.diffusion.SuperResolutionObjective;
import io.scanenhancer.diffusion.TrainingBatch;
import io.scanenhancer.training.MriTrainingData;
import io.scanenhancer.training.RunOptions;
import io.scanenhancer.training.SuperResolutionTraining;
import io.scanenhancer.training.TrainingLoop;
import io.scanenhancer.training.TrainingRecipe;
import io.scanenhancer.training.WarmStart;
import io.scanenhancer.volume.HeldOutSlab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./enhancer train}: the diffusion model and, on the very same batches, the regression U-Net baseline of
 * the same size, so that the two are compared at equal data and budget. Resumes from the output folder, with the
 * recipe and loop options recorded there. Every v3 option's default is v2's recipe (V2RecipeTest).
 */
public final class TrainCommand {
    static final Args.Spec OPTIONS = Args.spec("train", "trains the super-resolution diffusion model and its regression baseline on the same batches (resumes from --out)")
            .text("data", SuperResolutionTraining.DEFAULT_DATA, "T1 volume (NIfTI) to train on, outside its held-out slab")
            .text("out", "target/train", "run folder: config, checkpoints, snapshots/")
            .integer("steps", 20000, "stop at this step; the learning rate decays to 5% by then")
            .number("max-minutes", 170.0, "stop after this many minutes in this session")
            .integer("batch", 16, "images per batch")
            .integer("patch", 64, "high-resolution patch size")
            .option("seed", Args.Kind.LONG, "20261125", "seed of the initialisation, batches and noise")
            .integer("snapshot-every", 500, "checkpoint and EMA snapshot every N steps")
            .number("learning-rate", 3e-4, "Adam's base learning rate")
            .option("channels", Args.Kind.INT_LIST, "32,64,128", "U-Net widths of its three levels")
            .text("model-version", "2", "enters every derived object's identity: new weights need a new version")
            .choice("degradation", "area", "how a pair's low-resolution input is made: 2x2 box average, truncated k-space"
                    + " (random scanner filter and complex noise; baseline zero-filling), or half each", "area", "kspace", "mixed")
            .choice("degradation-conditioning", "none", "channel: a third, constant input channel (0 area, 1 k-space)", "none", "channel")
            .number("contrast-mix", 0.0, "fraction (0..1) of pairs whose target is a random-contrast rendering of ch2's tissue labels")
            .text("augment", "all", "augmentation kinds: all, none, or a list of dequantise,rotate,flip,gamma,bias,invert,blur,noise")
            .choice("loss", "l2", "pixel loss of both networks", "l2", "l1")
            .choice("target", "residual", "x0: HR minus the baseline upsampling (scaled), or HR itself", "residual", "direct")
            .text("init-from", null, "a model folder whose diffusion and regression weights the networks start from (a warm"
                    + " restart with a fresh optimiser and --learning-rate schedule; its widths, formulation and residual scale are kept)");

    private TrainCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] argv) {
        return OPTIONS.run(argv, TrainCommand::train);
    }

    /** The recipe the command line asks for (each option at its default unless given). */
    static TrainingRecipe requestedRecipe(Args args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String name : TrainingRecipe.V2.options().keySet()) {
            options.put(name, args.get(name));
        }
        return TrainingRecipe.of(options);
    }

    /**
     * The command line as a run folder's resume runs it: the loop options not given take the values recorded in its
     * config.json (a given one must match, --steps excepted: {@link RunOptions}); a new folder takes the command line.
     */
    static Args resumed(Args args, Path out) throws java.io.IOException {
        Path file = out.resolve("config.json");
        if (!Files.exists(file)) {
            return args;
        }
        return args.withFallbacks(RunOptions.recorded(ModelConfig.read(file)).resumedWith(RunOptions.requested(args::get), args::given));
    }

    private static int train(Args commandLine) throws Exception {
        Path out = commandLine.path("out");
        Args args = resumed(commandLine, out);
        Path data = args.path("data");
        int steps = args.getInt("steps"), batch = args.getInt("batch"), patch = args.getInt("patch");
        long seed = args.getLong("seed");
        LearningRateSchedule schedule = LearningRateSchedule.cosine((float) args.getDouble("learning-rate"), 0.05f, steps);
        SuperResolutionTraining.requireTrainable(data);
        TrainingRecipe recipe = SuperResolutionTraining.recipe(out, requestedRecipe(args), args::given);
        MriTrainingData training = MriTrainingData.load(data, recipe.pairs().needsLabels() ? Ch2TissueLabels.load() : null,
                HeldOutSlab.CH2, 1, 99, recipe.pairs());
        WarmStart warmStart = args.path("init-from") == null ? null : WarmStart.of(args.path("init-from"));
        ModelConfig config = SuperResolutionTraining.openOrCreate(out, training, data, args.get("model-version"),
                args.getInts("channels"), batch, patch, seed, schedule, recipe, warmStart);
        Map<String, String> loopOptions = RunOptions.requested(args::get);
        SuperResolutionTraining.progressInto(out.resolve("config.json")).write(Map.of(RunOptions.DETAILS_KEY, loopOptions));
        SuperResolutionDiffusion diffusion = new SuperResolutionDiffusion(NoiseSchedule.cosine(config.trainTimesteps()),
                config.residualScale(), recipe.formulation());
        NetworkTrainer.Settings settings = new NetworkTrainer.Settings(config.channels(), batch, patch, schedule, 0.999f, seed);
        try (NetworkTrainer<TrainingBatch> d = NetworkTrainer.warmStarted(new SuperResolutionObjective(diffusion, recipe.loss()), settings, out,
                warmStart == null ? null : warmStart.diffusionWeights());
             NetworkTrainer<TrainingBatch> r = NetworkTrainer.warmStarted(new RegressionObjective(diffusion, recipe.loss()), settings, out,
                     warmStart == null ? null : warmStart.regressionWeights())) {
            TrainingLoop<TrainingBatch> loop = new TrainingLoop<>(
                    new TrainingLoop.Settings(steps, args.getDouble("max-minutes"), args.getInt("snapshot-every"), 25, seed),
                    out, random -> training.nextBatch(random, batch, patch), List.of(d, r),
                    SuperResolutionTraining.progressInto(out.resolve("config.json")), System.out);
            System.out.printf("training on %s: %d images outside the held-out axial slab %d..%d (margin %d); recipe %s; loop %s; %s%n",
                    data.getFileName(), training.regionCount(), HeldOutSlab.CH2.firstSlice(), HeldOutSlab.CH2.endSlice() - 1,
                    HeldOutSlab.CH2.margin(), recipe.options(), loopOptions, loop.describe()
                    + (loop.step() == 0 ? (warmStart == null ? ", weights initialised afresh" : ", weights from " + warmStart.describe()) : ""));
            if (loop.run() == TrainingLoop.Outcome.NON_FINITE_LOSS) {
                return 1;
            }
            System.out.println("done at step " + loop.step() + "; snapshots in " + out.resolve("snapshots")
                    + "; next: ./enhancer evaluate --select " + out);
        }
        return 0;
    }
}
