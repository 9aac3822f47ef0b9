package io.scanenhancer.cli;

import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.training.MemberInterpolation;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code ./enhancer interpolate --from DIR --to DIR --alpha A --out DIR}: a model folder whose networks are
 * (1 - A) from + A to ({@link MemberInterpolation}), e.g. a warm restart pulled part of the way back to where it
 * started. Evaluate the result with {@code evaluate} like any other model folder.
 */
public final class InterpolateCommand {
    static final Args.Spec OPTIONS = Args.spec("interpolate", "a model folder whose networks mix two folders' weights")
            .text("from", null, "model folder at alpha 0 (e.g. the folder a warm restart started from)")
            .text("to", null, "model folder at alpha 1 (e.g. the warm restart); its config is kept")
            .number("alpha", null, "the share of --to, 0..1")
            .text("out", null, "new model folder")
            .text("model-version", null, "version written to the config (default: --to's)");

    private InterpolateCommand() {
    }

    public static int run(String[] argv) {
        return run(argv, System.out, System.err);
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        return OPTIONS.run(argv, out, err, args -> {
            for (String required : new String[] {"from", "to", "alpha", "out"}) {
                if (!args.given(required)) {
                    throw new IllegalArgumentException("--" + required + " is required");
                }
            }
            Path target = args.path("out");
            ModelConfig config = MemberInterpolation.write(args.path("from"), args.path("to"), args.getDouble("alpha"),
                    args.get("model-version"), target);
            out.printf("wrote %s: %s v%s, diffusion weights sha256 %s, regression weights sha256 %s%n", target, config.id(),
                    config.version(), config.weightsSha256(), config.priorWeightsSha256());
            return 0;
        });
    }
}
