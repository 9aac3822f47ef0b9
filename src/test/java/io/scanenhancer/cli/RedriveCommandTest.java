package io.scanenhancer.cli;

import io.scanenhancer.messaging.DeadLetterRedrive;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The redrive command's options become the same filter the REST endpoint builds; a wrong instant is a usage error. */
class RedriveCommandTest {
    @Test
    void optionsMakeTheFilter() {
        DeadLetterRedrive.Filter f = RedriveCommand.filter(RedriveCommand.OPTIONS.parse("--reason", "pacs-unavailable, internal-error",
                "--from", "2024-05-01T08:00:00Z", "--request-id", "r-1", "--force", "--dry-run"));
        assertEquals(Set.of("pacs-unavailable", "internal-error"), f.errorCodes());
        assertEquals(Instant.parse("2024-05-01T08:00:00Z"), f.from());
        assertEquals(null, f.to());
        assertEquals("r-1", f.requestId());
        assertTrue(f.force() && f.dryRun());
    }

    @Test
    void aWrongInstantIsRefusedBeforeKafkaIsReached() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = RedriveCommand.run(new String[] {"--bootstrap-servers", "127.0.0.1:1", "--from", "yesterday"},
                System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--from must be an ISO-8601 instant"), err.toString(StandardCharsets.UTF_8));
    }
}
