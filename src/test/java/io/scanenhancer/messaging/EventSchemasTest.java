package io.scanenhancer.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.scanenhancer.job.StageTimings;
import io.scanenhancer.job.StudyOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON Schemas in the repository say the same as the code: what the parser accepts, what is published. */
class EventSchemasTest {
    private static final ObjectMapper JSON = EventJson.mapper();
    private final RequestParser parser = new RequestParser(JSON);

    private static JsonSchema schema(String name) throws Exception {
        try (InputStream in = EventSchemasTest.class.getResourceAsStream("/schemas/" + name)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JSON.readTree(in));
        }
    }

    @Test
    void everyDeadLetterCodeIsInTheDeadLetterSchema() throws Exception {
        com.fasterxml.jackson.databind.JsonNode schema;
        try (var in = EventSchemasTest.class.getResourceAsStream("/schemas/study-dlq.schema.json")) {
            schema = JSON.readTree(in);
        }
        java.util.Set<String> listed = new java.util.TreeSet<>();
        schema.path("properties").path("x-error-code").path("enum").forEach(n -> listed.add(n.asText()));
        java.util.Set<String> dead = new java.util.TreeSet<>();
        for (io.scanenhancer.job.ErrorCode c : io.scanenhancer.job.ErrorCode.values()) {
            if (c != io.scanenhancer.job.ErrorCode.KAFKA_UNAVAILABLE) { // never dead-lettered: the answer is retried
                dead.add(c.code());
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(dead, listed);
    }

    @Test
    void theSchemaExampleIsAValidRequest() throws Exception {
        JsonSchema schema = schema("study-requested.schema.json");
        try (InputStream in = getClass().getResourceAsStream("/schemas/study-requested.schema.json")) {
            JsonNode example = JSON.readTree(in).path("examples").get(0);
            assertEquals(Set.of(), schema.validate(example));
            parser.parse(example.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\"}",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"x\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\"}",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"scale\":3}",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"seed\":1.5}",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"sampler\":{\"name\":\"x\"}}",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"ok\":1}",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"seriesInstanceUids\":[\"1.3\"],\"sampler\":{\"steps\":5}}",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"uncertainty\":4}",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"uncertainty\":1}",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"degradation\":\"kspace\"}",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"degradation\":\"area\"}",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"degradation\":\"box\"}",
            "{\"requestId\":\"r\",\"operation\":\"synthesize\",\"count\":4,\"targetPacs\":\"b\",\"degradation\":\"kspace\"}",
            "{\"requestId\":\"r\",\"operation\":\"synthesize\",\"count\":32,\"seed\":7,\"targetPacs\":\"b\"}",
            "{\"requestId\":\"r\",\"operation\":\"synthesize\",\"targetPacs\":\"b\"}",
            "{\"requestId\":\"r\",\"operation\":\"synthesize\",\"count\":0,\"targetPacs\":\"b\"}",
            "{\"requestId\":\"r\",\"operation\":\"synthesize\",\"count\":4,\"targetPacs\":\"b\",\"studyInstanceUid\":\"1.2\"}",
            "{\"requestId\":\"r\",\"operation\":\"synthesize\",\"count\":4}"
    })
    void parserAndSchemaAgree(String value) throws Exception {
        boolean schemaAccepts = schema("study-requested.schema.json").validate(JSON.readTree(value)).isEmpty();
        boolean parserAccepts;
        try {
            parser.parse(value);
            parserAccepts = true;
        } catch (InvalidRequestException e) {
            parserAccepts = false;
        }
        assertEquals(schemaAccepts, parserAccepts, value);
    }

    /** The bound on seriesInstanceUids is the same in parser and schema: 1000 pass, 1001 do not. */
    @Test
    void parserAndSchemaAgreeOnTheNumberOfSeries() throws Exception {
        for (int n : new int[]{StudyRequest.MAX_SERIES, StudyRequest.MAX_SERIES + 1}) {
            String uids = String.join(",", java.util.Collections.nCopies(n, "\"1.3\""));
            parserAndSchemaAgree("{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\","
                    + "\"operation\":\"enhance\",\"seriesInstanceUids\":[" + uids + "]}");
        }
        InvalidRequestException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class, () -> parser.parse(
                "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\","
                        + "\"seriesInstanceUids\":[" + String.join(",", java.util.Collections.nCopies(1001, "\"1.3\"")) + "]}"));
        assertEquals("field 'seriesInstanceUids' has 1001 entries, more than 1000", e.getMessage());
    }

    @Test
    void publishedResultsMatchTheResultSchema() throws Exception {
        JsonSchema schema = schema("study-enhanced.schema.json");
        StudyRequest request = new StudyRequest("r1", "1.2.3", null, "a", "b", "enhance", 2, null, null);
        StudyOutcome outcome = new StudyOutcome("r1", "1.2.3", List.of(new StudyOutcome.SeriesOutcome("1.2.3.4", "2.25.9", 3, 3, 1, 2, null, "area")),
                "bicubic", "1", "bicubic", false, new StageTimings(10, 20, 30, 61));
        Set<ValidationMessage> ok = schema.validate(JSON.readTree(JSON.writeValueAsBytes(ResultEvents.success(request, outcome, Instant.now()))));
        assertEquals(Set.of(), ok);
        JsonNode series = JSON.readTree(JSON.writeValueAsBytes(ResultEvents.success(request, outcome, Instant.now()))).path("series").get(0);
        assertEquals(1, series.path("storedInstances").asInt());
        assertEquals(2, series.path("alreadyPresentInstances").asInt());
        assertEquals("area", series.path("degradation").asText());
        StudyOutcome kspace = new StudyOutcome("r1", "1.2.3", List.of(new StudyOutcome.SeriesOutcome("1.2.3.4", "2.25.9", 3, 3, 3, 0, null,
                "kspace")), "bicubic", "1", "zero-fill", false, new StageTimings(10, 20, 30, 61));
        assertEquals(Set.of(), schema.validate(JSON.readTree(JSON.writeValueAsBytes(ResultEvents.success(request, kspace, Instant.now())))));
        StudyOutcome unknown = new StudyOutcome("r1", "1.2.3", List.of(new StudyOutcome.SeriesOutcome("1.2.3.4", "2.25.9", 3, 3, 3, 0, null,
                "box")), "bicubic", "1", "bicubic", false, new StageTimings(10, 20, 30, 61));
        assertEquals(1, schema.validate(JSON.readTree(JSON.writeValueAsBytes(ResultEvents.success(request, unknown, Instant.now())))).size(),
                "the result schema knows the degradations");
        JsonNode failed = JSON.readTree(JSON.writeValueAsBytes(ResultEvents.failure(request, "unknown-pacs", "unknown PACS 'x'", Instant.now())));
        assertEquals(Set.of(), schema.validate(failed));
        assertEquals("failed", failed.path("status").asText());
    }

    @Test
    void synthesizeResultsMatchTheResultSchema() throws Exception {
        JsonSchema schema = schema("study-enhanced.schema.json");
        StudyRequest request = StudyRequest.synthesize("r2", "b", 4, 7);
        var outcome = new io.scanenhancer.job.SynthesizeStudyJob.Outcome("r2", "2.25.1", "2.25.2", 4, 3, 1, 0.01, 0.02,
                "mri-t1-axial-generator", "1", "generator", 100, 20);
        JsonNode ok = JSON.readTree(JSON.writeValueAsBytes(ResultEvents.synthesized(request, outcome, Instant.now())));
        assertEquals(Set.of(), schema.validate(ok));
        assertEquals(3, ok.path("memorisationAudit").path("published").asInt());
        JsonNode failed = JSON.readTree(JSON.writeValueAsBytes(ResultEvents.failure(request, "all-slices-rejected", "x", Instant.now())));
        assertEquals(Set.of(), schema.validate(failed));
        assertEquals("synthesize", failed.path("operation").asText());
    }

    @Test
    void theDeadLetterSchemaNamesEveryHeaderTheServiceWrites() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/schemas/study-dlq.schema.json")) {
            JsonNode properties = JSON.readTree(in).path("properties");
            for (String header : List.of(DeadLetterHeaders.REASON, DeadLetterHeaders.ERROR_CODE, DeadLetterHeaders.ERROR_CLASS,
                    DeadLetterHeaders.ORIGINAL_TOPIC, DeadLetterHeaders.ORIGINAL_PARTITION, DeadLetterHeaders.ORIGINAL_OFFSET,
                    DeadLetterHeaders.REQUEST_ID, DeadLetterHeaders.VALUE_OMITTED)) {
                assertFalse(properties.path(header).isMissingNode(), header);
            }
            assertTrue(properties.size() == 8);
        }
    }
}
