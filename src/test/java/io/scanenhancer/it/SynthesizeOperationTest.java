package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
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

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * operation synthesize through the real broker into the real Orthanc, checked over QIDO-RS and WADO-RS: the images
 * at the spacing asked for and their DICOM Segmentation.
 */
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

    /** With the fast stand-in renderer by name: the default, diffusion, costs about 2 s a slice. */
    static String request(String requestId, int count, long seed) {
        return request(requestId, count, seed, "labels", LocalStack.DICOMWEB);
    }

    /** @param renderer null: the field is left out (the default renderer) */
    static String request(String requestId, int count, long seed, String renderer, String targetPacs) {
        return "{\"requestId\":\"" + requestId + "\",\"operation\":\"synthesize\",\"count\":" + count + ",\"seed\":" + seed
                + ",\"spacing\":2.5" + (renderer == null ? "" : ",\"renderer\":\"" + renderer + "\"") + ",\"targetPacs\":\""
                + targetPacs + "\"}";
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
        assertEquals(4, audit.path("published").asInt(), "exactly the slices asked for");
        assertEquals(4 + audit.path("redrawn").asInt(), audit.path("generated").asInt());
        assertEquals(audit.path("rejected").asInt(), audit.path("redrawn").asInt());
        String study = result.path("studyInstanceUid").asText();
        String series = result.path("series").get(0).path("derivedSeriesInstanceUid").asText();
        int published = audit.path("published").asInt();
        assertEquals(published, result.path("series").get(0).path("derivedInstances").asInt());
        assertEquals(published, E2e.qidoInstances(stack.orthanc(), study, series).size(), "QIDO-RS lists every stored slice");
        List<byte[]> objects = stack.registry().get(LocalStack.DICOMWEB).retrieve(study, series);
        assertEquals(published, objects.size());
        Set<String> imageUids = new HashSet<>();
        for (byte[] o : objects) {
            SyntheticChecks.assertSynthetic(o);
            AttributeList a = read(o);
            imageUids.add(Attribute.getSingleStringValueOrEmptyString(a, TagFromName.SOPInstanceUID));
            assertEquals(2.5, Attribute.getSingleDoubleValueOrDefault(a, TagFromName.SpacingBetweenSlices, 0), 1e-9);
        }
        // the paired segmentation: its own series in the same study, referencing every image
        assertEquals(2, result.path("series").size(), result.toString());
        String segSeries = result.path("series").get(1).path("derivedSeriesInstanceUid").asText();
        assertEquals(1, result.path("series").get(1).path("derivedInstances").asInt());
        List<byte[]> segs = stack.registry().get(LocalStack.DICOMWEB).retrieve(study, segSeries);
        assertEquals(1, segs.size());
        SyntheticChecks.assertSynthetic(segs.get(0));
        AttributeList seg = read(segs.get(0));
        assertEquals("SEG", Attribute.getSingleStringValueOrEmptyString(seg, TagFromName.Modality));
        AttributeList referenced = ((SequenceAttribute) seg.get(TagFromName.ReferencedSeriesSequence))
                .getItem(0).getAttributeList();
        assertEquals(series, Attribute.getSingleStringValueOrEmptyString(referenced, TagFromName.SeriesInstanceUID));
        SequenceAttribute instances = (SequenceAttribute) referenced.get(TagFromName.ReferencedInstanceSequence);
        Set<String> referencedUids = new HashSet<>();
        for (int i = 0; i < instances.getNumberOfItems(); i++) {
            referencedUids.add(Attribute.getSingleStringValueOrEmptyString(instances.getItem(i).getAttributeList(),
                    TagFromName.ReferencedSOPInstanceUID));
        }
        assertEquals(imageUids, referencedUids);

        // the same request again stores nothing new: same seed, same UIDs
        int before = stack.orthanc().instanceCount();
        String again = UUID.randomUUID().toString();
        E2e.publish(stack.broker().bootstrapServers(), TOPICS.requests(), null, request(again, 4, 21));
        JsonNode second = E2e.awaitResult(stack.broker().bootstrapServers(), TOPICS.results(), again);
        assertEquals(study, second.path("studyInstanceUid").asText());
        assertEquals(before, stack.orthanc().instanceCount());
        assertEquals(0, second.path("series").get(0).path("storedInstances").asInt(), second.toString());
        assertEquals(published, second.path("series").get(0).path("alreadyPresentInstances").asInt());
        assertEquals(1, second.path("series").get(1).path("alreadyPresentInstances").asInt(), "the segmentation is not sent twice");
    }

    /**
     * A request that names no renderer gets the trained one (the default), stored over DIMSE (C-STORE) and read back
     * with C-GET.
     */
    @Test
    void theTrainedRendererByDefaultStoresOverCStoreWithItsSegmentation() throws Exception {
        LocalStack stack = SharedStack.get();
        String requestId = UUID.randomUUID().toString();
        String body = request(requestId, 2, 33, null, LocalStack.DIMSE_GET);
        E2e.publish(stack.broker().bootstrapServers(), TOPICS.requests(), null, body);
        JsonNode result = E2e.awaitResult(stack.broker().bootstrapServers(), TOPICS.results(), requestId);
        assertEquals("succeeded", result.path("status").asText(), result.toString());
        assertEquals(java.util.Set.of(), E2e.resultSchema().validate(result), "the result matches its JSON Schema");
        assertEquals(2, result.path("memorisationAudit").path("published").asInt(), result.toString());
        String study = result.path("studyInstanceUid").asText();
        String series = result.path("series").get(0).path("derivedSeriesInstanceUid").asText();
        String segSeries = result.path("series").get(1).path("derivedSeriesInstanceUid").asText();
        List<byte[]> images = stack.registry().get(LocalStack.DIMSE_GET).retrieve(study, series);
        assertEquals(2, images.size(), "both slices came back over C-GET");
        for (byte[] o : images) {
            SyntheticChecks.assertSynthetic(o);
            AttributeList a = read(o);
            SequenceAttribute equipment = (SequenceAttribute) a.get(TagFromName.ContributingEquipmentSequence);
            Set<String> models = new HashSet<>();
            for (int i = 0; i < equipment.getNumberOfItems(); i++) {
                models.add(Attribute.getSingleStringValueOrEmptyString(equipment.getItem(i).getAttributeList(), TagFromName.ManufacturerModelName));
            }
            assertTrue(models.contains("mri-t1-label-renderer"), "the trained renderer made them, and says so: " + models);
            assertTrue(!Attribute.getSingleStringValueOrEmptyString(a, TagFromName.SeriesDescription).contains("STAND-IN"));
        }
        List<byte[]> segs = stack.registry().get(LocalStack.DIMSE_GET).retrieve(study, segSeries);
        assertEquals(1, segs.size(), "the segmentation was stored over C-STORE too");
        SyntheticChecks.assertSynthetic(segs.get(0));
        assertEquals("SEG", Attribute.getSingleStringValueOrEmptyString(read(segs.get(0)), TagFromName.Modality));
    }

    @Test
    void aSlabLongerThanAHeadIsDeadLetteredWithTheReason() throws Exception {
        LocalStack stack = SharedStack.get();
        String requestId = UUID.randomUUID().toString();
        E2e.publish(stack.broker().bootstrapServers(), TOPICS.requests(), null, request(requestId, 100, 1).replace("\"spacing\":2.5", "\"spacing\":2"));
        ConsumerRecord<String, byte[]> dead = TopicReader.await(stack.broker().bootstrapServers(), TOPICS.deadLetters(),
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(requestId), Duration.ofMinutes(2)).orElseThrow();
        String reason = new String(dead.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8);
        assertTrue(reason.contains("100 slices x 2 mm = 200 mm is longer than a head"), reason);
    }

    static AttributeList read(byte[] part10) throws Exception {
        AttributeList a = new AttributeList();
        a.read(new DicomInputStream(new ByteArrayInputStream(part10)));
        return a;
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
