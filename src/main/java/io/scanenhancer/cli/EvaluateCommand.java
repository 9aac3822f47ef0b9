package io.scanenhancer.cli;

import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.evaluation.SuperResolutionEvaluation;
import io.scanenhancer.training.SnapshotSelection;

import java.nio.file.Path;

/**
 * {@code ./enhancer evaluate}: the super-resolution model's evaluation (see {@link SuperResolutionEvaluation}). With
 * {@code --select RUN --ship DIR} it first picks the training snapshots to ship (see {@link SnapshotSelection}).
 */
public final class EvaluateCommand {
    static final Args.Spec OPTIONS = Args.spec("evaluate", "bicubic, the regression U-Net and the diffusion model on the held-out slab "
            + "and the out-of-domain set: report.md and comparison.png in --out")
            .text("model", ModelPaths.DEFAULT_MODEL.toString(), "model folder to evaluate")
            .text("out", "target/evaluate", "folder for the report and the sheet")
            .option("steps", Args.Kind.INT_LIST, "1,2,4,8,20", "DDIM step counts to report")
            .integer("posterior-samples", 4, "samples of the posterior-mean rows")
            .text("strengths", "0.05,0.1,0.2", "CCDF strengths from the regression prior")
            .integer("slab-stride", 4, "every n-th held-out slice")
            .integer("ood-limit", 0, "at most this many out-of-domain images (0: all)")
            .text("select", null, "training run folder: choose its snapshots on the out-of-domain set and ship them first")
            .text("ship", null, "with --select: model folder to ship into (default --model)")
            .integer("last", 12, "with --select: consider the last N snapshots of each network")
            .text("default-sampler", "ddim", "with --select: the shipped default sampler")
            .integer("default-steps", 2, "with --select: its steps")
            .integer("default-samples", 1, "with --select: its samples")
            .number("default-strength", 0.3, "with --select: its CCDF strength");

    private EvaluateCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] argv) {
        return OPTIONS.run(argv, EvaluateCommand::evaluate);
    }

    private static int evaluate(Args args) throws Exception {
        Path modelDir = args.path("model");
        if (args.get("select") != null) {
            modelDir = args.get("ship") != null ? args.path("ship") : modelDir;
            SnapshotSelection.selectAndShip(args.path("select"), modelDir, args.getInt("last"),
                    new ModelConfig.Sampling(args.get("default-sampler"), args.getInt("default-steps"),
                            args.getInt("default-samples"), 0, args.getDouble("default-strength")));
        }
        SuperResolutionEvaluation.run(modelDir, args.path("out"), new SuperResolutionEvaluation.Settings(args.get("steps"),
                args.getInt("posterior-samples"), args.get("strengths"), args.getInt("slab-stride"), args.getInt("ood-limit")), System.out);
        return 0;
    }
}
