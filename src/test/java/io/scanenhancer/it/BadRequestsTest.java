package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.messaging.DeadLetterHeaders;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pipeline.Pipeline;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad requests each land on the dead-letter topic with a specific reason, store nothing in the PACS, and do not stop
 * the good request published after them.
 */
@io.scanenhancer.StartsServices
class BadRequestsTest {
    static final Path RT_PLAN = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/rtplan.dcm");

    @TempDir
    Path temp;

    @Test
    void badRequestsAreDeadLetteredAndTheNextGoodOneIsProcessed() throws Exception {
        LocalStack stack = SharedStack.get();
        SeriesFixture series = SeriesFixture.write(temp, 2);
        E2e.uploadViaRest(stack.orthanc(), series.files());
        String study = series.studyInstanceUid();
        // a real object the dicom package refuses (an RT Plan has no image): its refusal reason must reach the DLQ
        String rtStudy = E2e.JSON.readTree(stack.orthanc().get("/studies/" + E2e.JSON.readTree(
                stack.orthanc().post("/instances", java.nio.file.Files.readAllBytes(RT_PLAN)).body()).path("ParentStudy").asText())
                .body()).path("MainDicomTags").path("StudyInstanceUID").asText();
        String web = LocalStack.DICOMWEB;

        // value -> the words its dead-letter reason must contain
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("this is not JSON {", "not JSON");
        bad.put("{\"requestId\":\"r-missing\",\"sourcePacs\":\"orthanc\",\"targetPacs\":\"orthanc\",\"operation\":\"enhance\"}",
                "'studyInstanceUid' is missing");
        bad.put(E2e.request("r-unknown-study", "1.2.826.0.1.3680043.2.1125.999999", web, web), "not found in PACS");
        bad.put(E2e.request("r-unknown-pacs", study, "no-such-pacs", web), "unknown PACS 'no-such-pacs'");
        bad.put("{\"requestId\":\"r-types\",\"studyInstanceUid\":\"" + study + "\",\"sourcePacs\":\"orthanc\","
                + "\"targetPacs\":\"orthanc\",\"operation\":\"enhance\",\"scale\":\"two\"}", "'scale' must be an integer");
        bad.put("{\"requestId\":7,\"studyInstanceUid\":\"" + study + "\"}", "'requestId' must be a string");
        bad.put("[1,2,3]", "not a JSON object");
        bad.put(E2e.request("r-refused", rtStudy, web, web), "is not an image this enhancer handles");

        Topics topics = new Topics("bad.requested", "bad.enhanced", "bad.dlq");
        int before = stack.orthanc().instanceCount();
        try (Pipeline pipeline = Pipeline.start(stack.settings("bad", topics).withEnhancer(Enhancers.BICUBIC))) {
            String bootstrap = stack.broker().bootstrapServers();
            for (String value : bad.keySet()) {
                E2e.publish(bootstrap, topics.requests(), study, value);
            }
            String good = UUID.randomUUID().toString();
            E2e.publish(bootstrap, topics.requests(), study, E2e.request(good, study, web, web));

            JsonNode result = E2e.awaitResult(bootstrap, topics.results(), good);
            E2e.assertDerivedSeries(stack.orthanc(), series, result);
            // the records are consumed in order, so every bad one was handled before the good one was stored
            assertEquals(before + series.files().size(), stack.orthanc().instanceCount(),
                    "only the good request stored anything");

            List<ConsumerRecord<String, byte[]>> dead = TopicReader.readAll(bootstrap, topics.deadLetters());
            assertEquals(bad.size(), dead.size(), "one dead letter per bad request");
            int i = 0;
            for (Map.Entry<String, String> expected : bad.entrySet()) {
                ConsumerRecord<String, byte[]> letter = dead.get(i++);
                assertArrayEquals(expected.getKey().getBytes(StandardCharsets.UTF_8), letter.value(), "original value kept");
                assertEquals(study, letter.key(), "original key kept");
                String reason = header(letter, DeadLetterHeaders.REASON);
                assertTrue(reason.contains(expected.getValue()), "reason '" + reason + "' should say " + expected.getValue());
                assertNotNull(header(letter, DeadLetterHeaders.ERROR_CLASS));
                assertNotNull(header(letter, DeadLetterHeaders.ERROR_CODE));
                assertEquals(topics.requests(), header(letter, DeadLetterHeaders.ORIGINAL_TOPIC));
            }
            assertEquals("unknown-pacs", header(dead.get(3), DeadLetterHeaders.ERROR_CODE));
            assertEquals("study-not-found", header(dead.get(2), DeadLetterHeaders.ERROR_CODE));
            assertEquals("io.scanenhancer.messaging.InvalidRequestException", header(dead.get(0), DeadLetterHeaders.ERROR_CLASS));
            assertEquals("refused-input", header(dead.get(7), DeadLetterHeaders.ERROR_CODE));

            // requests that parsed also get a "failed" result event, so their sender is not left waiting
            JsonNode failed = E2e.awaitResult(bootstrap, topics.results(), "r-unknown-pacs");
            assertEquals("failed", failed.path("status").asText());
            assertEquals("unknown-pacs", failed.path("errorCode").asText());

            // asking explicitly for Scan Enhancer's own output is refused (it would compound the model's output)
            String derived = result.path("series").get(0).path("derivedSeriesInstanceUid").asText();
            E2e.publish(bootstrap, topics.requests(), study, E2e.request("r-own-output", study, web, web)
                    .replace("\"scale\":2}", "\"scale\":2,\"seriesInstanceUids\":[\"" + derived + "\"]}"));
            ConsumerRecord<String, byte[]> own = TopicReader.await(bootstrap, topics.deadLetters(),
                    r -> "r-own-output".equals(header(r, DeadLetterHeaders.REQUEST_ID)), E2e.RESULT_TIMEOUT).orElseThrow();
            assertEquals("refused-input", header(own, DeadLetterHeaders.ERROR_CODE), header(own, DeadLetterHeaders.REASON));
            assertEquals(before + series.files().size(), stack.orthanc().instanceCount(), "nothing stored for it");
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
