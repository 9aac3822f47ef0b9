package io.scanenhancer.cli;

import io.scanenhancer.synthesis.GeneratorEvaluation;
import io.scanenhancer.synthesis.StudySynthesizer;
import io.scanenhancer.training.SuperResolutionTraining;

/**
 * {@code ./enhancer evaluate-generator --run DIR [--ship MODEL_DIR]}: the generator's evaluation and, with
 * {@code --ship}, its shipping (see {@link GeneratorEvaluation}).
 */
public final class EvaluateGeneratorCommand {
    static final Args.Spec OPTIONS = Args.spec("evaluate-generator", "sampler choice, quality report, memorisation calibration; "
            + "with --ship the model folder")
            .text("run", "target/train-generator", "the generator's training run folder")
            .text("data", SuperResolutionTraining.DEFAULT_DATA, "the volume it was trained on")
            .text("sr", ModelPaths.DEFAULT_MODEL.toString(), "super-resolution model of the cascade")
            .text("weights", null, "snapshot to evaluate (default: the run's latest)")
            .text("samplers", "ddim:10,ddim:25,ddim:50,ddim:100,ddpm:100", "SAMPLER:STEPS candidates")
            .number("threshold", StudySynthesizer.DEFAULT_THRESHOLD, "memorisation threshold, 1 - NCC")
            .text("ship", null, "model folder to write (weights, config, EVALUATION.md, samples.png)");

    private EvaluateGeneratorCommand() {
    }

    public static int run(String[] argv) {
        return OPTIONS.run(argv, args -> {
            GeneratorEvaluation.run(args.path("run"), args.path("data"), args.path("sr"), args.path("weights"),
                    args.get("samplers"), args.getDouble("threshold"), args.path("ship"), System.out);
            return 0;
        });
    }
}
