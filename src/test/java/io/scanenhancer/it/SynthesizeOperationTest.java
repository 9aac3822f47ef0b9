package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.dicom.SyntheticChecks;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.messaging.DeadLetterHeaders;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pipeline.Pipeline;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** operation synthesize through the real broker into the real Orthanc, checked over QIDO-RS and WADO-RS. */
@io.scanenhancer.StartsServices
class SynthesizeOperationTest {
    private static final Topics TOPICS = new Topics("synthesize.requested", "synthesize.enhanced", "synthesize.dlq");
    private static Pipeline pipeline;

    /** The shipped synthesis settings (models/mri-t1-axial-generator-v1, ch2.nii.gz, threshold 0.02), opened on the first request. */
    @BeforeAll
    static void start() throws Exception {
        pipeline = Pipeline.start(SharedStack.get().settings("synthesize", TOPICS).withEnhancer(Enhancers.BICUBIC));
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    static String request(String requestId, int count, long seed) {
        return "{\"requestId\":\"" + requestId + "\",\"operation\":\"synthesize\",\"count\":" + count + ",\"seed\":" + seed
                + ",\"targetPacs\":\"" + LocalStack.DICOMWEB + "\"}";
    }

    @Test
    void aSyntheticStudyLandsInThePacsAndTheResultNamesIt() throws Exception {
        LocalStack stack = SharedStack.get();
        String requestId = UUID.randomUUID().toString();
        E2e.publish(stack.broker().bootstrapServers(), TOPICS.requests(), null, request(requestId, 4, 21));
        JsonNode result = E2e.awaitResult(stack.broker().bootstrapServers(), TOPICS.results(), requestId);
        assertEquals("succeeded", result.path("status").asText(), result.toString());
        assertEquals(java.util.Set.of(), E2e.resultSchema().validate(result), "the result matches its JSON Schema");
        assertEquals("synthesize", result.path("operation").asText());
        JsonNode audit = result.path("memorisationAudit");
        assertEquals(4, audit.path("generated").asInt());
        assertEquals(4, audit.path("published").asInt() + audit.path("rejected").asInt());
        String study = result.path("studyInstanceUid").asText();
        String series = result.path("series").get(0).path("derivedSeriesInstanceUid").asText();
        int published = audit.path("published").asInt();
        assertEquals(published, result.path("series").get(0).path("derivedInstances").asInt());
        assertEquals(published, E2e.qidoInstances(stack.orthanc(), study, series).size(), "QIDO-RS lists every stored slice");
        List<byte[]> objects = stack.registry().get(LocalStack.DICOMWEB).retrieve(study, series);
        assertEquals(published, objects.size());
        for (byte[] o : objects) {
            SyntheticChecks.assertSynthetic(o);
        }

        // the same request again stores nothing new: same seed, same UIDs
        int before = stack.orthanc().instanceCount();
        String again = UUID.randomUUID().toString();
        E2e.publish(stack.broker().bootstrapServers(), TOPICS.requests(), null, request(again, 4, 21));
        JsonNode second = E2e.awaitResult(stack.broker().bootstrapServers(), TOPICS.results(), again);
        assertEquals(study, second.path("studyInstanceUid").asText());
        assertEquals(before, stack.orthanc().instanceCount());
        assertEquals(0, second.path("series").get(0).path("storedInstances").asInt(), second.toString());
        assertEquals(published, second.path("series").get(0).path("alreadyPresentInstances").asInt());
    }

    @Test
    void aSynthesizeRequestWithASourceIsDeadLetteredWithTheReason() throws Exception {
        LocalStack stack = SharedStack.get();
        String requestId = UUID.randomUUID().toString();
        String bad = request(requestId, 4, 1).replace("\"operation\"", "\"sourcePacs\":\"orthanc\",\"operation\"");
        E2e.publish(stack.broker().bootstrapServers(), TOPICS.requests(), null, bad);
        ConsumerRecord<String, byte[]> dead = TopicReader.await(stack.broker().bootstrapServers(), TOPICS.deadLetters(),
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(requestId), Duration.ofMinutes(2)).orElseThrow();
        String reason = new String(dead.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8);
        assertTrue(reason.contains("'sourcePacs' does not apply to operation 'synthesize'"), reason);
    }
}
