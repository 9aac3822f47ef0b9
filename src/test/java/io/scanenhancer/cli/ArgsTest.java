package io.scanenhancer.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgsTest {
    private static final Args.Spec SPEC = Args.spec("try", "a test command")
            .positional("IN", "input")
            .integer("steps", 20, "steps")
            .number("rate", 0.5, "rate")
            .option("channels", Args.Kind.INT_LIST, "8,16", "widths")
            .text("out", null, "output")
            .flag("fast", "go fast");

    @Test
    void valuesDefaultsAndForms() {
        Args a = SPEC.parse("in", "--steps", "7", "--rate=0.25", "--fast");
        assertEquals(List.of("in"), a.positional());
        assertEquals(7, a.getInt("steps"));
        assertEquals(0.25, a.getDouble("rate"));
        assertArrayEquals(new int[] {8, 16}, a.getInts("channels"));
        assertNull(a.get("out"));
        assertTrue(a.flag("fast"));
        assertTrue(a.given("steps"));
        assertFalse(a.given("channels"));
    }

    @Test
    void errorsNameTheOption() {
        assertEquals("unknown option --stpes (try --help lists the options)",
                assertThrows(Args.UsageException.class, () -> SPEC.parse("in", "--stpes", "3")).getMessage());
        assertEquals("--steps expects a whole number, got 'many'",
                assertThrows(Args.UsageException.class, () -> SPEC.parse("in", "--steps", "many")).getMessage());
        assertEquals("--channels expects whole numbers separated by commas, got '8,x'",
                assertThrows(Args.UsageException.class, () -> SPEC.parse("in", "--channels", "8,x")).getMessage());
        assertEquals("--out needs a value (VALUE)",
                assertThrows(Args.UsageException.class, () -> SPEC.parse("in", "--out", "--fast")).getMessage());
        assertEquals("expected IN, got 0 arguments", assertThrows(Args.UsageException.class, SPEC::parse).getMessage());
        assertThrows(IllegalStateException.class, () -> SPEC.parse("in").get("undeclared"));
    }

    @Test
    void helpListsTheDeclarationsAndUsageErrorsExitTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(0, SPEC.run(new String[] {"--help"}, o, e, args -> 1));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("usage: enhancer try IN [options]") && help.contains("--steps N") && help.contains("(default 20)"), help);
        assertEquals(2, SPEC.run(new String[] {"in", "--rate", "fast"}, o, e, args -> 0));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("try: --rate expects a number, got 'fast'"), err.toString(StandardCharsets.UTF_8));
    }

    /** Every command's declarations are valid (defaults of the declared kind) and print as help. */
    @Test
    void everyCommandDeclaresItsOptions() {
        for (Args.Spec spec : List.of(TrainCommand.OPTIONS, TrainGeneratorCommand.OPTIONS, EvaluateCommand.OPTIONS,
                EvaluateGeneratorCommand.OPTIONS, EnhanceCommand.OPTIONS, SynthesizeCommand.OPTIONS)) {
            assertTrue(spec.help().contains("--"), spec.help());
        }
        assertEquals(2, TrainCommand.run(new String[] {"--steps", "lots"}));
    }
}
