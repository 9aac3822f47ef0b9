package io.scanenhancer.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.Arrays;

/**
 * The one entry point of the service jar. {@code serve} starts the Quarkus service; every other command is
 * plain Java and starts neither Quarkus nor CDI. The demo, the local stack and the benchmarks are harness code
 * ({@code src/harness/java}, io.scanenhancer.harness.HarnessMain) and are not in this jar.
 */
@QuarkusMain
public final class Main {
    private static final String USAGE = """
            usage: enhancer <command> [args]
              serve                      run the service (Kafka consumer, PACS access, health on /q/health)
              enhance IN_DIR OUT_DIR     enhance DICOM files from a folder into derived DICOM files (no Kafka, no PACS)
              train | evaluate           model training and evaluation
              synthesize --count N --seed S --out DIR [--target URL]   a synthetic MR study (Synthetic Data = YES)
              interpolate --from DIR --to DIR --alpha A --out DIR   a model folder mixing two folders' weights
              train-generator            train the synthetic-slice generator (resumable)
              train-renderer             train the label-conditioned diffusion renderer (resumable)
              evaluate-generator         sampler choice, quality report, memorisation calibration, ship
              redrive [--reason CODES] [--from T] [--to T] [--request-id ID] [--force] [--dry-run]
                                         send dead-lettered requests again (permanent failures only with --force)
              evaluate-synthesis         quality of labelled synthetic studies against ch2 (report + three-view PNG)
              help                       this text
            COMMAND --help lists a command's options with their defaults.
            """;

    public static void main(String... args) {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        int status = switch (command) {
            case "serve" -> {
                Quarkus.run(rest);
                yield 0;
            }
            case "enhance" -> EnhanceCommand.run(rest);
            case "train" -> TrainCommand.run(rest);
            case "interpolate" -> InterpolateCommand.run(rest);
            case "train-generator" -> TrainGeneratorCommand.run(rest);
            case "train-renderer" -> TrainRendererCommand.run(rest);
            case "synthesize" -> SynthesizeCommand.run(rest);
            case "evaluate-generator" -> EvaluateGeneratorCommand.run(rest);
            case "evaluate-synthesis" -> EvaluateSynthesisCommand.run(rest);
            case "evaluate" -> EvaluateCommand.run(rest);
            case "redrive" -> RedriveCommand.run(rest);
            case "help", "-h", "--help" -> {
                System.out.print(USAGE);
                yield 0;
            }
            default -> {
                System.err.println("unknown command '" + command + "'");
                System.err.print(USAGE);
                yield 2;
            }
        };
        if (!"serve".equals(command)) {
            System.exit(status);
        }
    }
}
