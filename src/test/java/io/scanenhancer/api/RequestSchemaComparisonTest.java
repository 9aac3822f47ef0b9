package io.scanenhancer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The comparison itself finds what it is there to find (ApiTest runs it on the served document). */
class RequestSchemaComparisonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode openApi(String enhanceRequest) throws Exception {
        return JSON.readTree("{\"components\":{\"schemas\":{\"Uid\":{\"type\":\"string\",\"pattern\":\"^[0-9]+(\\\\.[0-9]+)*$\","
                + "\"maxLength\":64},\"EnhanceRequest\":" + enhanceRequest + "}}}");
    }

    private static final String SAMPLER = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"enum\":[\"ddim\",\"ddpm\"]},"
            + "\"steps\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000},\"samples\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":64},"
            + "\"strength\":{\"type\":\"number\",\"exclusiveMinimum\":0,\"maximum\":1}}}";

    private static String request(String batchSize, boolean withUncertainty) {
        return "{\"type\":\"object\",\"properties\":{\"requestId\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200},"
                + "\"studyInstanceUid\":{\"$ref\":\"#/components/schemas/Uid\"},"
                + "\"seriesInstanceUids\":{\"type\":\"array\",\"maxItems\":1000,\"items\":{\"$ref\":\"#/components/schemas/Uid\"}},"
                + "\"sourcePacs\":{\"type\":\"string\",\"minLength\":1},\"targetPacs\":{\"type\":\"string\",\"minLength\":1},"
                + "\"operation\":{\"type\":\"string\",\"enum\":[\"enhance\"]},"
                + "\"scale\":{\"type\":\"integer\",\"minimum\":2,\"maximum\":2,\"default\":2},"
                + "\"sampler\":" + SAMPLER + ",\"seed\":{\"type\":\"integer\",\"format\":\"int64\"},"
                + (withUncertainty ? "\"uncertainty\":{\"type\":\"integer\",\"minimum\":2,\"maximum\":64}," : "")
                + "\"batchSize\":" + batchSize + ",\"degradation\":{\"type\":\"string\",\"enum\":[\"area\",\"kspace\"]}}}";
    }

    @Test
    void aSchemaThatMatchesHasNoDifferences() throws Exception {
        assertEquals(List.of(), RequestSchemaComparison.differences(
                openApi(request("{\"type\":\"integer\",\"minimum\":1,\"maximum\":64}", true)), RequestSchemaComparison.kafkaRequestSchema()));
    }

    @Test
    void aMissingFieldAndAnotherBoundAreBothReported() throws Exception {
        assertEquals(List.of("batchSize: maximum 64 against 32", "uncertainty: in the Kafka schema, missing from the REST schema"),
                RequestSchemaComparison.differences(openApi(request("{\"type\":\"integer\",\"minimum\":1,\"maximum\":32}", false)),
                        RequestSchemaComparison.kafkaRequestSchema()));
    }
}
