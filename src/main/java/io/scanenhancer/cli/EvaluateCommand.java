package io.scanenhancer.cli;

import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.anatomy.Ch2TissueLabels;
import io.scanenhancer.evaluation.ProtocolEvaluation;
import io.scanenhancer.evaluation.ProtocolInput;
import io.scanenhancer.evaluation.ProtocolSets;
import io.scanenhancer.evaluation.SuperResolutionEvaluation;
import io.scanenhancer.training.LabelSlice;
import io.scanenhancer.training.SequenceContrast;
import io.scanenhancer.training.SnapshotSelection;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./enhancer evaluate}: the super-resolution model's evaluation (see {@link SuperResolutionEvaluation}). With
 * {@code --select RUN --ship DIR} it first picks the training snapshots to ship (see {@link SnapshotSelection}).
 * With {@code --protocol issue20} it reports instead both degradations on every set against their own baselines and,
 * with {@code --uncertainty N}, the calibration of the posterior spread (see {@link ProtocolEvaluation}).
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
            .text("ship", null, "with --select: model folder to ship into (default RUN/model, never a committed model unless named)")
            .integer("last", 12, "with --select: consider the last N snapshots of each network")
            .text("default-sampler", "ddim", "with --select: the shipped default sampler")
            .integer("default-steps", 2, "with --select: its steps")
            .integer("default-samples", 1, "with --select: its samples")
            .number("default-strength", 0.3, "with --select: its CCDF strength")
            .text("protocol", "methods", "methods: the method comparison (report.md, comparison.png); issue20: the default path "
                    + "for both degradations on every set, each against its own baseline (protocol.md)")
            .text("inputs", "area,kspace-clean,kspace-noisy", "issue20: kinds of input (area, kspace-clean, kspace-noisy)")
            .text("contrasts", "T2,PD,FLAIR", "issue20: renderings of the slab (T2, PD, FLAIR, T1_SE; empty: none)")
            .flag("margin-contrasts", "issue20: also the slab's margins in those renderings, as validation sets (they then"
                    + " enter every choice made on the validation sets, the spread's noise floor included)")
            .integer("uncertainty", 0, "issue20: posterior samples for the uncertainty calibration (0: none)")
            .integer("uncertainty-limit", 0, "issue20: at most this many images per set in the calibration (0: all)")
            .text("uncertainty-sampler", null, "issue20: sampler of the calibrated spread, ddim or ddpm (default: the model's)")
            .option("uncertainty-steps", Args.Kind.INT, null, "issue20: its steps (default: the model's)")
            .option("uncertainty-strength", Args.Kind.NUMBER, null, "issue20: its CCDF strength, 1 = from noise (default: the model's)")
            .text("uncertainty-method", null, "issue20: the spread calibrated, posterior (sd of the samples) or self-test (the model's "
                    + "error one scale down, enlarged) (default: the model's)")
            .number("uncertainty-blur", 2.0, "issue20: with --uncertainty-method self-test, its Gaussian smoothing in output pixels")
            .number("uncertainty-gradient-blur", 0.0, "issue20: with --uncertainty-method self-test, weigh it by the output's "
                    + "gradient magnitude smoothed by this Gaussian sigma in output pixels (geometric mean; 0: not)")
            .integer("adapt-steps", 0, "issue20: also the default path after adapting the prior to each image for N steps (0: not)")
            .number("adapt-rate", 1e-5, "issue20: the adaptation's learning rate")
            .integer("adapt-batch", 8, "issue20: the adaptation's patches per step")
            .option("seed", Args.Kind.LONG, "20", "issue20: seed of the noisy inputs");

    private EvaluateCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] argv) {
        return OPTIONS.run(argv, args -> evaluate(args, argv));
    }

    private static int evaluate(Args args, String[] argv) throws Exception {
        String protocol = args.get("protocol");
        if (!protocol.equals("methods") && !protocol.equals("issue20")) {
            throw new Args.UsageException("--protocol is methods or issue20, not " + protocol);
        }
        // the lists are checked before any model is loaded or shipped
        List<ProtocolInput> inputs = inputs(args.get("inputs"));
        List<ProtocolSets.Contrast> contrasts = contrasts(args.get("contrasts"));
        ModelConfig.Sampling uncertaintySampling = uncertaintySampling(args);
        io.scanenhancer.diffusion.PriorAdaptation.Settings adaptation = adaptation(args);
        Path modelDir = args.path("model");
        if (args.get("select") != null) {
            // shipping over models/... by default once overwrote v2 with an ablation run: the run's own folder is the default
            modelDir = args.get("ship") != null ? args.path("ship") : args.path("select").resolve("model");
            SnapshotSelection.selectAndShip(args.path("select"), modelDir, args.getInt("last"),
                    new ModelConfig.Sampling(args.get("default-sampler"), args.getInt("default-steps"),
                            args.getInt("default-samples"), 0, args.getDouble("default-strength")));
        }
        if (protocol.equals("issue20")) {
            ProtocolEvaluation.run(modelDir, args.path("out"), new ProtocolEvaluation.Settings(args.getInt("slab-stride"),
                    args.getInt("ood-limit"), inputs, contrasts, args.getInt("uncertainty"), args.getInt("uncertainty-limit"),
                    uncertaintySampling, adaptation, args.getLong("seed"), "./enhancer evaluate " + String.join(" ", argv),
                    uncertaintySpread(args), args.flag("margin-contrasts")), System.out);
            return 0;
        }
        SuperResolutionEvaluation.run(modelDir, args.path("out"), new SuperResolutionEvaluation.Settings(args.get("steps"),
                args.getInt("posterior-samples"), args.get("strengths"), args.getInt("slab-stride"), args.getInt("ood-limit")), System.out);
        return 0;
    }

    /** The spread calibrated, or null for the model's. */
    static io.scanenhancer.image.SpreadMethod uncertaintySpread(Args args) {
        String m = args.get("uncertainty-method");
        if (m == null) {
            return null;
        }
        try {
            boolean selfTest = m.equals(io.scanenhancer.image.SpreadMethod.SELF_TEST_NAME);
            return new io.scanenhancer.image.SpreadMethod(m, selfTest ? args.getDouble("uncertainty-blur") : 0, 0,
                    selfTest ? args.getDouble("uncertainty-gradient-blur") : 0);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--uncertainty-method: " + e.getMessage());
        }
    }

    /** The adaptation measured beside the default path, or null. */
    static io.scanenhancer.diffusion.PriorAdaptation.Settings adaptation(Args args) {
        int steps = args.getInt("adapt-steps");
        if (steps == 0) {
            return null;
        }
        try {
            return new io.scanenhancer.diffusion.PriorAdaptation.Settings(steps, args.getInt("adapt-batch"), (float) args.getDouble("adapt-rate"), 0);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--adapt-steps: " + e.getMessage());
        }
    }

    /** The sampler whose spread is calibrated, or null for the model's default (none of the options given). */
    static ModelConfig.Sampling uncertaintySampling(Args args) {
        if (args.get("uncertainty-sampler") == null && args.get("uncertainty-steps") == null && args.get("uncertainty-strength") == null) {
            return null;
        }
        String sampler = args.get("uncertainty-sampler") == null ? "ddim" : args.get("uncertainty-sampler");
        int steps = args.get("uncertainty-steps") == null ? 2 : args.getInt("uncertainty-steps");
        double strength = args.get("uncertainty-strength") == null ? 1.0 : args.getDouble("uncertainty-strength");
        try { // checked here, before a model is loaded
            new io.scanenhancer.diffusion.SamplerSettings(sampler, steps, 2, 0, strength);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--uncertainty-*: " + e.getMessage());
        }
        return new ModelConfig.Sampling(sampler, steps, 1, 0, strength);
    }

    static List<ProtocolInput> inputs(String list) {
        List<ProtocolInput> out = new ArrayList<>();
        for (String s : list.split(",")) {
            out.add(switch (s.trim()) {
                case "area" -> ProtocolInput.AREA;
                case "kspace-clean" -> ProtocolInput.KSPACE_CLEAN;
                case "kspace-noisy" -> ProtocolInput.KSPACE_NOISY;
                default -> throw new Args.UsageException("--inputs takes area, kspace-clean, kspace-noisy, not " + s);
            });
        }
        return out;
    }

    /** The slab renderings: SequenceContrast's signal equations, which no training run uses. */
    static List<ProtocolSets.Contrast> contrasts(String list) throws IOException {
        List<ProtocolSets.Contrast> out = new ArrayList<>();
        if (list.isBlank()) {
            return out;
        }
        double[] means = Ch2TissueLabels.committedPureMeans();
        for (String s : list.split(",")) {
            SequenceContrast.Sequence seq = switch (s.trim().toUpperCase(Locale.ROOT)) {
                case "T2" -> SequenceContrast.Sequence.T2_SE;
                case "PD" -> SequenceContrast.Sequence.PD_SE;
                case "FLAIR" -> SequenceContrast.Sequence.FLAIR;
                case "T1_SE" -> SequenceContrast.Sequence.T1_SE;
                default -> throw new Args.UsageException("--contrasts takes T2, PD, FLAIR, T1_SE, not " + s);
            };
            String equation = seq == SequenceContrast.Sequence.FLAIR
                    ? "inversion recovery S = PD |1 - 2 exp(-TI/T1) + exp(-TR/T1)| exp(-TE/T2)"
                    : "spin echo S = PD (1 - exp(-TR/T1)) exp(-TE/T2)";
            String name = s.trim().toUpperCase(Locale.ROOT).replace("_SE", "") + "-like";
            out.add(new ProtocolSets.Contrast(name, name + " (" + equation + ", " + seq.timing() + ", textbook 1.5 T relaxation "
                    + "times, applied to each voxel's partial-volume mix of CSF / grey / white matter read from its T1 "
                    + "intensity; `SequenceContrast`. No training uses these equations: v2 saw T1 only, and "
                    + "`ContrastRandomisation` draws random intensities per tissue label)",
                    (labels, t1, h, w) -> SequenceContrast.render(new LabelSlice(h, w, labels, t1), seq, means)));
        }
        return out;
    }
}
