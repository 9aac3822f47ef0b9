package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.LocalOrthanc;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pipeline.Pipeline;
import io.scanenhancer.pipeline.PipelineSettings;
import io.scanenhancer.pacs.PacsSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DIMSE with an AE title Orthanc does not know (not in its DicomModalities): the association is refused, and the
 * request is dead-lettered at once with the reason, not retried as if the PACS were down.
 */
@io.scanenhancer.StartsServices
class CallingAeDlqTest {
    @TempDir
    Path temp;

    @Test
    void aWrongCallingAeTitleIsRefusedAndDeadLettered() throws Exception {
        LocalStack stack = SharedStack.get();
        SeriesFixture series = SeriesFixture.write(temp, 1);
        E2e.uploadViaRest(stack.orthanc(), series.files());
        Topics topics = new Topics("ae.requested", "ae.enhanced", "ae.dlq");
        PipelineSettings settings = stack.settings("ae", topics).withEnhancer(Enhancers.BICUBIC)
                .withPacs(List.of(new PacsSettings.Dimse("intruder", "127.0.0.1", stack.orthanc().dicomPort(),
                        LocalOrthanc.AE_TITLE, "INTRUDER", PacsSettings.Retrieve.C_GET, 0, Duration.ofSeconds(30))))
                .withAttempts(5, Duration.ofSeconds(1));
        String requestId = UUID.randomUUID().toString();
        try (Pipeline pipeline = Pipeline.start(settings)) {
            E2e.publish(stack.broker().bootstrapServers(), topics.requests(), series.studyInstanceUid(),
                    E2e.request(requestId, series.studyInstanceUid(), "intruder", "intruder"));
            ConsumerRecord<String, byte[]> letter = TopicReader.await(stack.broker().bootstrapServers(), topics.deadLetters(),
                    r -> requestId.equals(header(r, "x-request-id")), E2e.RESULT_TIMEOUT).orElseThrow();
            assertEquals("pacs-refused", header(letter, "x-error-code"), header(letter, "x-reason"));
            assertTrue(header(letter, "x-reason").startsWith("intruder: "), header(letter, "x-reason"));
            assertTrue(header(letter, "x-reason").contains("calling AE title 'INTRUDER'"), header(letter, "x-reason"));
            JsonNode result = E2e.awaitResult(stack.broker().bootstrapServers(), topics.results(), requestId);
            assertEquals("failed", result.path("status").asText());
            assertEquals(1, E2e.qidoSeries(stack.orthanc(), series.studyInstanceUid()).size(), "nothing stored");
            System.out.println("wrong calling AE: dead-lettered: " + header(letter, "x-reason"));
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
