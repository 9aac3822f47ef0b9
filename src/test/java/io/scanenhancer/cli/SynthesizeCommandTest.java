package io.scanenhancer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanenhancer.dicom.SyntheticChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code synthesize --count N --seed S --out DIR}: the files, the audit report, and clear refusals. */
class SynthesizeCommandTest {

    @Test
    void writesTheStudyAndItsAudit(@TempDir Path out) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream(), stderr = new ByteArrayOutputStream();
        int rc = SynthesizeCommand.run(new String[] {"--count", "3", "--seed", "4", "--out", out.toString()},
                new PrintStream(stdout), new PrintStream(stderr));
        assertEquals(0, rc, stderr.toString());
        JsonNode audit = new ObjectMapper().readTree(out.resolve("memorisation-audit.json").toFile());
        assertEquals(3, audit.path("generated").asInt());
        assertEquals(3, audit.path("slices").size());
        List<Path> files;
        try (Stream<Path> s = Files.list(out)) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).toList();
        }
        assertEquals(audit.path("published").asInt(), files.size());
        for (Path f : files) {
            SyntheticChecks.assertSynthetic(Files.readAllBytes(f));
        }
        assertTrue(stdout.toString().contains("synthesized study " + audit.path("studyInstanceUid").asText()), stdout.toString());
    }

    @Test
    void refusesAMissingDestinationAndABadCount() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, SynthesizeCommand.run(new String[] {"--count", "3"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        assertTrue(err.toString().contains("give --out DIR, --target URL or both"), err.toString());
        err.reset();
        assertEquals(2, SynthesizeCommand.run(new String[] {"--count", "0", "--out", "x"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        assertTrue(err.toString().contains("--count must be between 1 and 512"), err.toString());
    }
}
