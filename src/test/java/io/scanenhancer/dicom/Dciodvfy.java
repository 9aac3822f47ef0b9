package io.scanenhancer.dicom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs dicom3tools' dciodvfy on an object: errors fail the test, warnings are printed. */
public final class Dciodvfy {
    private static final String TOOL = "/usr/bin/dciodvfy";

    private Dciodvfy() {
    }

    /** Returns the warning lines; fails on any error line or non-zero exit. */
    public static List<String> assertValid(byte[] part10, String label) throws IOException, InterruptedException {
        Path tmp = Files.createTempFile("dciodvfy", ".dcm");
        try {
            Files.write(tmp, part10);
            return assertValid(tmp, label);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The one error that {@code dciodvfy} of dicom3tools 2022-06 (Debian 12's) reports on a correct synthetic object:
     * it predates Synthetic Data (0008,001C), added to the standard later, and calls it an unrecognised attribute.
     */
    static final String SYNTHETIC_DATA_UNKNOWN_TO_DCIODVFY = "Error - Attribute with an even group number is not a recognized standard attribute - (0x0008,0x001c)";

    /** As {@link #assertValid(byte[], String)}, tolerating only {@link #SYNTHETIC_DATA_UNKNOWN_TO_DCIODVFY}. */
    public static List<String> assertValidSynthetic(byte[] part10, String label) throws IOException, InterruptedException {
        Path tmp = Files.createTempFile("dciodvfy", ".dcm");
        try {
            Files.write(tmp, part10);
            return check(tmp, label, true);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static List<String> assertValid(Path file, String label) throws IOException, InterruptedException {
        return check(file, label, false);
    }

    private static List<String> check(Path file, String label, boolean synthetic) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(TOOL))) {
            fail("dciodvfy is not installed (" + TOOL + "): install Debian's dicom3tools, as .ci/run does");
        }
        Process p = new ProcessBuilder(TOOL, file.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "dciodvfy did not finish");
        List<String> lines = output.lines().collect(Collectors.toList());
        List<String> errors = lines.stream().filter(l -> l.startsWith("Error"))
                .filter(l -> !(synthetic && l.startsWith(SYNTHETIC_DATA_UNKNOWN_TO_DCIODVFY))).toList();
        List<String> warnings = lines.stream().filter(l -> l.startsWith("Warning")).toList();
        for (String w : warnings) {
            System.out.println("dciodvfy " + label + ": " + w);
        }
        // with the tolerated error alone dciodvfy still exits 0 (it counts only IOD errors in its status)
        if (!errors.isEmpty() || p.exitValue() != 0) {
            fail("dciodvfy found errors in " + label + " (exit " + p.exitValue() + "):\n" + output);
        }
        return warnings;
    }
}
