package io.scanenhancer.harness;

import io.scanenhancer.cli.Main;
import io.scanenhancer.harness.bench.BenchCommand;
import io.scanenhancer.harness.demo.DemoCommand;
import io.scanenhancer.harness.demo.StackCommand;

import java.util.Arrays;

/**
 * Entry point of the harness: the commands that start a local broker and Orthanc or measure the service. They run on
 * the test classpath (the harness is a test-scope source set), so none of this ships in the service artifact; every
 * other command is handed to the service's {@link Main}.
 */
public final class HarnessMain {
    private HarnessMain() {
    }

    public static void main(String... args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        int status = switch (command) {
            case "demo" -> DemoCommand.run(rest);
            case "bench" -> BenchCommand.run(rest);
            case "stack" -> StackCommand.run(rest);
            default -> {
                Main.main(args);
                yield 0;
            }
        };
        System.exit(status);
    }
}
