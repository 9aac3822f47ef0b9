package io.scanenhancer.messaging;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.scanenhancer.job.SynthesizeStudyJob;
import io.scanenhancer.synthesis.StudySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The synthesize operation's spacing and renderer: parsed, defaulted, refused with reasons, and as the schema says. */
class SynthesizeRequestTest {
    private final RequestParser parser = new RequestParser(EventJson.mapper());

    static String request(String extra) {
        return "{\"requestId\":\"r\",\"operation\":\"synthesize\",\"count\":32,\"seed\":7,\"targetPacs\":\"b\"" + extra + "}";
    }

    @Test
    void spacingAndRendererAreParsed() throws Exception {
        StudyRequest r = parser.parse(request(",\"spacing\":2.5,\"renderer\":\"generator\""));
        assertEquals(2.5, r.spacing());
        assertEquals("generator", r.renderer());
        StudyRequest defaults = parser.parse(request(""));
        assertEquals(null, defaults.spacing());
        assertEquals(null, defaults.renderer());
        assertEquals("diffusion", parser.parse(request(",\"renderer\":\"diffusion\"")).renderer());
    }

    /** A request that names no renderer is rendered by the trained diffusion renderer, as the schema's default says. */
    @Test
    void aRequestWithoutRendererGetsTheDiffusionRenderer() throws Exception {
        StudyRequest r = parser.parse(request(""));
        // the command the dispatcher hands to the job
        SynthesizeStudyJob.Command command = new SynthesizeStudyJob.Command(r.requestId(), r.targetPacs(), r.count(), r.seed(),
                r.spacing(), r.renderer());
        assertEquals(StudySpec.Renderer.DIFFUSION, command.spec().renderer());
        assertEquals(StudySpec.Renderer.LABELS, new SynthesizeStudyJob.Command("r", "b", 4, 7, null, "labels").spec().renderer());
        try (InputStream in = getClass().getResourceAsStream("/schemas/study-requested.schema.json")) {
            assertEquals("diffusion", EventJson.mapper().readTree(in).path("properties").path("renderer").path("default").asText());
        }
    }

    /** batchSize is the enhance job's batching: a synthesize request that sets it is refused, not quietly ignored. */
    @Test
    void batchSizeIsRefusedLikeTheOtherEnhanceOnlyFields() {
        assertEquals("field 'batchSize' does not apply to operation 'synthesize'",
                assertThrows(InvalidRequestException.class, () -> parser.parse(request(",\"batchSize\":4"))).getMessage());
    }

    @Test
    void whatCannotBeHonouredIsRefusedWithTheReason() {
        assertEquals("fields 'count' and 'spacing': spacing must be between 0.5 and 10 mm, got 0.2",
                assertThrows(InvalidRequestException.class, () -> parser.parse(request(",\"spacing\":0.2"))).getMessage());
        String tooLong = assertThrows(InvalidRequestException.class, () -> parser.parse(
                "{\"requestId\":\"r\",\"operation\":\"synthesize\",\"count\":100,\"spacing\":2,\"targetPacs\":\"b\"}")).getMessage();
        assertTrue(tooLong.contains("100 slices x 2 mm = 200 mm is longer than a head (at most 180 mm)"), tooLong);
        assertTrue(assertThrows(InvalidRequestException.class, () -> parser.parse(request(",\"spacing\":\"2\"")))
                .getMessage().contains("field 'spacing' must be a number"));
        assertEquals("unknown renderer 'gan' (known: labels, diffusion, generator)",
                assertThrows(InvalidRequestException.class, () -> parser.parse(request(",\"renderer\":\"gan\""))).getMessage());
    }

    /** Where the schema can say it (ranges, enums, types; not count x spacing), parser and schema agree. */
    @ParameterizedTest
    @ValueSource(strings = {",\"spacing\":1", ",\"spacing\":0.5", ",\"spacing\":10", ",\"spacing\":0.49", ",\"spacing\":10.5",
            ",\"spacing\":\"2\"", ",\"renderer\":\"labels\"", ",\"renderer\":\"diffusion\"", ",\"renderer\":\"generator\"", ",\"renderer\":\"x\"", ",\"renderer\":3", ",\"batchSize\":4"})
    void parserAndSchemaAgree(String extra) throws Exception {
        JsonSchema schema;
        try (InputStream in = getClass().getResourceAsStream("/schemas/study-requested.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(EventJson.mapper().readTree(in));
        }
        String value = request(extra).replace("\"count\":32", "\"count\":4");
        boolean schemaAccepts = schema.validate(EventJson.mapper().readTree(value)).isEmpty();
        boolean parserAccepts;
        try {
            parser.parse(value);
            parserAccepts = true;
        } catch (InvalidRequestException e) {
            parserAccepts = false;
        }
        assertEquals(schemaAccepts, parserAccepts, value);
    }
}
