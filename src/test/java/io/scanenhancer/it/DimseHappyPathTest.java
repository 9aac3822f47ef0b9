package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pipeline.Pipeline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same happy path over DIMSE: C-FIND, then C-GET (one association) or C-MOVE (Orthanc connects back to the
 * service's storage SCP) to retrieve, C-STORE to store; checked over QIDO-RS.
 */
@io.scanenhancer.StartsServices
class DimseHappyPathTest {
    private static final Topics TOPICS = new Topics("dimse.requested", "dimse.enhanced", "dimse.dlq");
    private static Pipeline pipeline;

    @BeforeAll
    static void startConsumer() throws Exception {
        pipeline = Pipeline.start(SharedStack.get().settings("dimse", TOPICS).withEnhancer(Enhancers.BICUBIC));
    }

    @AfterAll
    static void stopConsumer() {
        pipeline.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {LocalStack.DIMSE_GET, LocalStack.DIMSE_MOVE})
    void enhancesAStudyOverDimse(String pacs) throws Exception {
        LocalStack stack = SharedStack.get();
        Path folder = Files.createTempDirectory("dimse-fixture-");
        SeriesFixture series = SeriesFixture.write(folder, 3);
        E2e.uploadViaRest(stack.orthanc(), series.files());
        String requestId = UUID.randomUUID().toString();
        E2e.publish(stack.broker().bootstrapServers(), TOPICS.requests(), series.studyInstanceUid(),
                E2e.request(requestId, series.studyInstanceUid(), pacs, pacs));
        JsonNode result = E2e.awaitResult(stack.broker().bootstrapServers(), TOPICS.results(), requestId);
        E2e.assertDerivedSeries(stack.orthanc(), series, result);
        assertEquals(3, E2e.stored(result));

        // as if an earlier attempt had stored only part of the series: C-FIND finds the rest, one instance is sent
        String derived = result.path("series").get(0).path("derivedSeriesInstanceUid").asText();
        JsonNode instances = E2e.qidoInstances(stack.orthanc(), series.studyInstanceUid(), derived);
        E2e.deleteInstance(stack.orthanc(), instances.get(0).path("00080018").path("Value").get(0).asText());
        String again = UUID.randomUUID().toString();
        E2e.publish(stack.broker().bootstrapServers(), TOPICS.requests(), series.studyInstanceUid(),
                E2e.request(again, series.studyInstanceUid(), pacs, pacs));
        JsonNode redone = E2e.awaitResult(stack.broker().bootstrapServers(), TOPICS.results(), again);
        E2e.assertDerivedSeries(stack.orthanc(), series, redone);
        assertEquals(1, E2e.stored(redone), redone.toString());
        assertEquals(2, E2e.alreadyPresent(redone), redone.toString());
    }
}
