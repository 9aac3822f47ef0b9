package io.scanenhancer.messaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestParserTest {
    private final RequestParser parser = new RequestParser(EventJson.mapper());
    static final String GOOD = "{\"requestId\":\"r1\",\"studyInstanceUid\":\"1.2.3\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\","
            + "\"operation\":\"enhance\"";

    @Test
    void parsesAFullRequest() throws Exception {
        StudyRequest r = parser.parse(GOOD + ",\"seriesInstanceUids\":[\"1.2.3.4\"],\"scale\":2,"
                + "\"sampler\":{\"name\":\"ddim\",\"steps\":20,\"samples\":3,\"strength\":0.25},\"seed\":42,\"futureField\":true}");
        assertEquals("r1", r.requestId());
        assertEquals("1.2.3", r.studyInstanceUid());
        assertEquals(java.util.List.of("1.2.3.4"), r.seriesInstanceUids());
        assertEquals(new StudyRequest.Sampler("ddim", 20, 3, 0.25), r.sampler());
        assertEquals(42L, r.seed());
    }

    @Test
    void defaultsScaleToTwoAndLeavesOptionalFieldsEmpty() throws Exception {
        StudyRequest r = parser.parse(GOOD + "}");
        assertEquals(2, r.scale());
        assertNull(r.seriesInstanceUids());
        assertNull(r.sampler());
        assertNull(r.seed());
    }

    @Test
    void parsesSynthesizeAndUncertainty() throws Exception {
        StudyRequest s = parser.parse("{\"requestId\":\"r\",\"operation\":\"synthesize\",\"count\":32,\"seed\":7,\"targetPacs\":\"b\"}");
        assertTrue(s.isSynthesize());
        assertEquals(32, s.count());
        assertEquals(7L, s.seed());
        assertNull(s.studyInstanceUid());
        assertEquals(0L, parser.parse("{\"requestId\":\"r\",\"operation\":\"synthesize\",\"count\":1,\"targetPacs\":\"b\"}").seed());
        assertEquals(3, parser.parse(GOOD + ",\"uncertainty\":3}").uncertainty());
    }

    @Test
    void takesTheDegradationAndLeavesItOutWhenAbsent() throws Exception {
        assertEquals("kspace", parser.parse(GOOD + ",\"degradation\":\"kspace\"}").degradation());
        assertEquals("area", parser.parse(GOOD + ",\"degradation\":\"area\"}").degradation());
        assertNull(parser.parse(GOOD + "}").degradation(), "absent: the default, and the request's JSON stays as it was");
        assertEquals(io.scanenhancer.diffusion.Degradation.KSPACE,
                RequestDispatcher.command(parser.parse(GOOD + ",\"degradation\":\"kspace\"}")).settings().degradation());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "not json|not JSON",
            "``|empty record value",
            "[]|not a JSON object",
            "{}|'requestId' is missing",
            "{\"requestId\":1}|'requestId' must be a string, not a number",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"abc\"}|'studyInstanceUid' is not a DICOM UID",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"delete\"}|unsupported operation 'delete'",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"scale\":4}|unsupported scale 4",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"scale\":2.5}|'scale' must be an integer",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"seriesInstanceUids\":\"1.2.3\"}|must be an array",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"sampler\":{\"name\":\"euler\"}}|unknown sampler 'euler'",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"sampler\":{\"steps\":0}}|'sampler.steps' must be between 1 and 1000",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"seed\":\"x\"}|'seed' must be an integer",
            "{\"requestId\":\"r\",\"operation\":\"synthesize\",\"targetPacs\":\"b\"}|'count' is missing",
            "{\"requestId\":\"r\",\"operation\":\"synthesize\",\"count\":600,\"targetPacs\":\"b\"}|'count' must be between 1 and 512",
            "{\"requestId\":\"r\",\"operation\":\"synthesize\",\"count\":4,\"targetPacs\":\"b\",\"studyInstanceUid\":\"1.2\"}|'studyInstanceUid' does not apply to operation 'synthesize'",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"uncertainty\":1}|'uncertainty' must be between 2 and 64",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"uncertainty\":3,\"sampler\":{\"samples\":2}}|disagree",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"degradation\":\"box\"}|field 'degradation': unknown degradation 'box' (known: area, kspace)",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":\"a\",\"targetPacs\":\"b\",\"operation\":\"enhance\",\"degradation\":2}|'degradation' must be a string",
            "{\"requestId\":\"r\",\"operation\":\"synthesize\",\"count\":4,\"targetPacs\":\"b\",\"degradation\":\"area\"}|'degradation' does not apply to operation 'synthesize'",
            "{\"requestId\":\"r\",\"studyInstanceUid\":\"1.2\",\"sourcePacs\":true,\"targetPacs\":\"b\",\"operation\":\"enhance\"}|'sourcePacs' must be a string, not a boolean",
    })
    void rejectsWithASpecificReason(String value, String reason) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> parser.parse(value));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
