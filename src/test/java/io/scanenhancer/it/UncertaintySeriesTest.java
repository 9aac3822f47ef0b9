package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.dicom.Dciodvfy;
import io.scanenhancer.dicom.SourceImage;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pipeline.Pipeline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request with {@code uncertainty: 3} through the real broker and Orthanc, over DICOMweb and over DIMSE: the
 * uncertainty series lands in the PACS beside the derived one, references the source images, passes dciodvfy, and
 * its stored values times Rescale Slope give back the spread the diffusion package computes for the same input.
 */
@io.scanenhancer.StartsServices
class UncertaintySeriesTest {
    private static final Topics TOPICS = new Topics("uncertainty.requested", "uncertainty.enhanced", "uncertainty.dlq");
    private static final int SAMPLES = 3;
    private static Enhancer enhancer;
    private static Pipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        pipeline = Pipeline.start(SharedStack.get().settings("uncertainty", TOPICS).withEnhancer(Enhancers.DIFFUSION));
        enhancer = pipeline.enhancerChoice().enhancer();
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {LocalStack.DICOMWEB, LocalStack.DIMSE_GET})
    void theUncertaintySeriesLandsBesideTheDerivedOne(String pacsName) throws Exception {
        LocalStack stack = SharedStack.get();
        SeriesFixture series = SeriesFixture.write(Files.createTempDirectory("uncertainty-"), 2);
        E2e.uploadViaRest(stack.orthanc(), series.files());
        String requestId = UUID.randomUUID().toString();
        E2e.publish(stack.broker().bootstrapServers(), TOPICS.requests(), series.studyInstanceUid(),
                E2e.request(requestId, series.studyInstanceUid(), pacsName, pacsName).replace("\"scale\":2}", "\"scale\":2,\"uncertainty\":" + SAMPLES + "}"));
        JsonNode result = E2e.awaitResult(stack.broker().bootstrapServers(), TOPICS.results(), requestId);
        E2e.assertDerivedSeries(stack.orthanc(), series, result);
        JsonNode entry = result.path("series").get(0);
        String uncertaintyUid = entry.path("uncertaintySeriesInstanceUid").asText();
        assertNotEquals("", uncertaintyUid, result.toString());
        assertNotEquals(entry.path("derivedSeriesInstanceUid").asText(), uncertaintyUid);
        assertEquals(3, E2e.qidoSeries(stack.orthanc(), series.studyInstanceUid()).size(), "source, derived and uncertainty series");

        List<byte[]> objects = stack.registry().get(pacsName).retrieve(series.studyInstanceUid(), uncertaintyUid);
        assertEquals(series.files().size(), objects.size(), "one uncertainty object per source instance");
        Map<String, Path> sourceBySop = new HashMap<>();
        for (Path f : series.files()) {
            sourceBySop.put(SourceImage.read(f).sopInstanceUid(), f);
        }
        Set<String> referenced = new HashSet<>();
        for (byte[] bytes : objects) {
            Dciodvfy.assertValid(bytes, "uncertainty series over " + pacsName);
            AttributeList a = new AttributeList();
            a.read(new DicomInputStream(new ByteArrayInputStream(bytes)));
            String description = Attribute.getSingleStringValueOrEmptyString(a, TagFromName.SeriesDescription);
            assertTrue(description.contains("AI 2x SD") && description.endsWith("NOT FOR DIAGNOSTIC USE"), description);
            String comments = Attribute.getSingleStringValueOrEmptyString(a, TagFromName.ImageComments);
            assertTrue(comments.startsWith("UNCERTAINTY MAP"), comments);
            assertTrue(comments.contains("calibration factor"), "the shipped model's spread calibration is stated: " + comments);
            SequenceAttribute sources = (SequenceAttribute) a.get(TagFromName.SourceImageSequence);
            String sourceSop = Attribute.getSingleStringValueOrEmptyString(sources.getItem(0).getAttributeList(), TagFromName.ReferencedSOPInstanceUID);
            Path sourceFile = sourceBySop.get(sourceSop);
            assertNotNull(sourceFile, "references one of the source images");
            referenced.add(sourceSop);

            double slope = Attribute.getSingleDoubleValueOrDefault(a, TagFromName.RescaleSlope, Double.NaN);
            assertEquals(0, Attribute.getSingleDoubleValueOrDefault(a, TagFromName.RescaleIntercept, Double.NaN));
            short[] stored = a.get(TagFromName.PixelData).getShortValues();
            SourceImage source = SourceImage.read(sourceFile);
            // resolved as the service resolves a request that names no degradation (MR: kspace)
            EnhancedImage expected = enhancer.enhanceAll(List.of(source.frame(0)),
                    new EnhanceSettings(null, null, null, null, null, SAMPLES).resolvedFor(List.of(source.modality()))).get(0);
            float[] spread = expected.uncertainty().pixels();
            assertEquals(spread.length, stored.length);
            double max = 0, worst = 0;
            for (int i = 0; i < spread.length; i++) {
                max = Math.max(max, spread[i]);
                worst = Math.max(worst, Math.abs((stored[i] & 0xFFFF) * slope - spread[i]));
            }
            assertTrue(max > 0, "the posterior samples differ somewhere");
            assertTrue(worst <= slope / 2 + 1e-3 * max, "decoded spread within half a stored step: worst " + worst + ", slope " + slope);
        }
        assertEquals(sourceBySop.keySet(), referenced, "every source image has its uncertainty object");
    }
}
