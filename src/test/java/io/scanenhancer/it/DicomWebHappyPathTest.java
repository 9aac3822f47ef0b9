package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pipeline.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sample series in Orthanc -> request on Kafka -> result event -> derived series visible over QIDO-RS (DICOMweb). */
@io.scanenhancer.StartsServices
class DicomWebHappyPathTest {
    @TempDir
    Path temp;

    @Test
    void enhancesAStudyOverDicomWeb() throws Exception {
        LocalStack stack = SharedStack.get();
        SeriesFixture series = SeriesFixture.write(temp, 4);
        E2e.uploadViaRest(stack.orthanc(), series.files());
        Topics topics = new Topics("dicomweb.requested", "dicomweb.enhanced", "dicomweb.dlq");
        try (Pipeline pipeline = Pipeline.start(stack.settings("dicomweb", topics).withEnhancer(Enhancers.BICUBIC))) {
            String requestId = UUID.randomUUID().toString();
            E2e.publish(stack.broker().bootstrapServers(), topics.requests(), series.studyInstanceUid(),
                    E2e.request(requestId, series.studyInstanceUid(), LocalStack.DICOMWEB, LocalStack.DICOMWEB));
            JsonNode result = E2e.awaitResult(stack.broker().bootstrapServers(), topics.results(), requestId);
            E2e.assertDerivedSeries(stack.orthanc(), series, result);
            assertEquals(4, E2e.stored(result));
            assertEquals(0, E2e.alreadyPresent(result));

            // the same request again (as after a crash before the commit): same derived UIDs, no second series
            int instances = stack.orthanc().instanceCount();
            String again = UUID.randomUUID().toString();
            E2e.publish(stack.broker().bootstrapServers(), topics.requests(), series.studyInstanceUid(),
                    E2e.request(again, series.studyInstanceUid(), LocalStack.DICOMWEB, LocalStack.DICOMWEB));
            JsonNode second = E2e.awaitResult(stack.broker().bootstrapServers(), topics.results(), again);
            assertEquals(result.path("series").get(0).path("derivedSeriesInstanceUid").asText(),
                    second.path("series").get(0).path("derivedSeriesInstanceUid").asText());
            assertEquals(instances, stack.orthanc().instanceCount(), "reprocessing stored nothing new");
            assertEquals(0, E2e.stored(second), "the lookup found every derived instance: nothing sent again");
            assertEquals(4, E2e.alreadyPresent(second));
            assertEquals(2, E2e.qidoSeries(stack.orthanc(), series.studyInstanceUid()).size(), "source + one derived series");

            // other settings (a seed) give a second derived series, made from the source series only
            String seeded = UUID.randomUUID().toString();
            E2e.publish(stack.broker().bootstrapServers(), topics.requests(), series.studyInstanceUid(),
                    E2e.request(seeded, series.studyInstanceUid(), LocalStack.DICOMWEB, LocalStack.DICOMWEB)
                            .replace("\"scale\":2}", "\"scale\":2,\"seed\":7}"));
            JsonNode third = E2e.awaitResult(stack.broker().bootstrapServers(), topics.results(), seeded);
            assertEquals(1, third.path("series").size(), third.toString());
            assertEquals(series.seriesInstanceUid(), third.path("series").get(0).path("sourceSeriesInstanceUid").asText());
            assertEquals(3, E2e.qidoSeries(stack.orthanc(), series.studyInstanceUid()).size());

            // and the default request again passes over both earlier outputs
            String fourth = UUID.randomUUID().toString();
            E2e.publish(stack.broker().bootstrapServers(), topics.requests(), series.studyInstanceUid(),
                    E2e.request(fourth, series.studyInstanceUid(), LocalStack.DICOMWEB, LocalStack.DICOMWEB));
            JsonNode fourthResult = E2e.awaitResult(stack.broker().bootstrapServers(), topics.results(), fourth);
            assertEquals(1, fourthResult.path("series").size(), fourthResult.toString());
            assertEquals(3, E2e.qidoSeries(stack.orthanc(), series.studyInstanceUid()).size());
        }
    }
}
