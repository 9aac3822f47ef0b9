package io.scanenhancer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.messaging.RequestParser;
import io.scanenhancer.messaging.StudyRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST API over real HTTP against the real stack: a POST goes onto the requests topic of the in-process broker,
 * the service's own consumer enhances the study from Orthanc, and GET /jobs shows progress and the result.
 */
@QuarkusTest
@QuarkusTestResource(value = ApiStackResource.class, restrictToAnnotatedClass = true)
@io.scanenhancer.StartsServices
class ApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BEARER = "Bearer " + ApiStackResource.TOKEN;
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
            (ApiStackResource.USER + ":" + ApiStackResource.PASSWORD).getBytes(StandardCharsets.UTF_8));

    @TestHTTPResource("/")
    URL root;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "test.study-uid")
    String study;
    @ConfigProperty(name = "test.sample-count")
    int sampleCount;
    @ConfigProperty(name = "test.audit-file", defaultValue = "none") // only ApiStackResource sets it; other Quarkus tests share this bean
    String auditFile;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    @Test
    void callsWithoutValidCredentialsGet401WithAReason() throws Exception {
        HttpResponse<String> none = send("GET", "jobs/anything", null, null);
        assertEquals(401, none.statusCode());
        assertEquals("unauthorized", JSON.readTree(none.body()).path("error").asText());
        assertTrue(JSON.readTree(none.body()).path("reason").asText().contains("missing Authorization"), none.body());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

        HttpResponse<String> wrong = send("POST", "studies/" + study + "/enhance", "Bearer nope", "{}");
        assertEquals(401, wrong.statusCode());
        assertEquals("wrong bearer token", JSON.readTree(wrong.body()).path("reason").asText());

        String badBasic = "Basic " + Base64.getEncoder().encodeToString("radiology:guess".getBytes(StandardCharsets.UTF_8));
        assertEquals(401, send("GET", "jobs/anything", badBasic, null).statusCode());
        // health stays open for the kubelet's probes
        assertEquals(200, send("GET", "q/health/live", null, null).statusCode());
    }

    @Test
    void badInputGets400WithTheReason() throws Exception {
        assertReason("studies/" + study + "/enhance", "{\"sourcePacs\":\"orthanc\",\"targetPacs\":\"orthanc\",\"scale\":3}",
                "invalid-request", "unsupported scale 3 (supported: 2)");
        assertReason("studies/not-a-uid/enhance", "{\"sourcePacs\":\"orthanc\",\"targetPacs\":\"orthanc\"}",
                "invalid-request", "field 'studyInstanceUid' is not a DICOM UID (digits and dots, at most 64)");
        assertReason("studies/" + study + "/enhance", "{\"targetPacs\":\"orthanc\"}", "invalid-request",
                "field 'sourcePacs' is missing");
        assertReason("studies/" + study + "/enhance", "{\"sourcePacs\":\"nowhere\",\"targetPacs\":\"orthanc\"}",
                "unknown-pacs", null);
        assertReason("studies/" + study + "/enhance", "{\"sourcePacs\":\"orthanc\",\"targetPacs\":\"orthanc\",\"batchSize\":0}",
                "invalid-request", "field 'batchSize' must be between 1 and 64");
        assertReason("studies/" + study + "/enhance", "[1,2]", "invalid-request", "the body must be a JSON object");
        assertReason("studies/" + study + "/enhance", "{\"studyInstanceUid\":\"1.2.3\",\"sourcePacs\":\"orthanc\",\"targetPacs\":\"orthanc\"}",
                "invalid-request", "field 'studyInstanceUid' differs from the study in the path; leave it out");
        HttpResponse<String> unknown = send("GET", "jobs/" + UUID.randomUUID(), BEARER, null);
        assertEquals(404, unknown.statusCode());
        assertEquals("unknown-job", JSON.readTree(unknown.body()).path("error").asText());
    }

    private void assertReason(String path, String body, String error, String reason) throws Exception {
        HttpResponse<String> r = send("POST", path, BEARER, body);
        assertEquals(400, r.statusCode(), r.body());
        JsonNode n = JSON.readTree(r.body());
        assertEquals(error, n.path("error").asText(), r.body());
        if (reason != null) {
            assertEquals(reason, n.path("reason").asText());
        } else {
            assertTrue(!n.path("reason").asText().isBlank(), r.body());
        }
    }

    @Test
    void aPostedStudyIsEnhancedThroughKafkaAndTheJobShowsProgressAndAPreview() throws Exception {
        // the caller's W3C trace context; with the SDK off (the default) it passes through to the record unchanged
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(request("POST", "studies/" + study + "/enhance", BASIC,
                "{\"sourcePacs\":\"orthanc\",\"targetPacs\":\"orthanc-dimse\",\"seed\":3}"), (k, v) -> true)
                .header("traceparent", traceparent).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, posted.statusCode(), posted.body());
        JsonNode accepted = JSON.readTree(posted.body());
        String jobId = accepted.path("jobId").asText();
        assertEquals("queued", accepted.path("status").asText());
        assertEquals(root + "jobs/" + jobId, posted.headers().firstValue("Location").orElseThrow());

        // one processing path: the request is on the same topic Kafka producers use, in the same schema
        ConsumerRecord<String, byte[]> record = TopicReader.await(bootstrap, "imaging.study.requested",
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(jobId), Duration.ofSeconds(30)).orElseThrow();
        assertEquals(study, record.key());
        assertEquals(traceparent, new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8),
                "the REST call's trace context travels with the request record");
        StudyRequest onTopic = new RequestParser(JSON).parse(new String(record.value(), StandardCharsets.UTF_8));
        assertEquals(jobId, onTopic.requestId());
        assertEquals(Long.valueOf(3), onTopic.seed());

        JsonNode job = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            job = JSON.readTree(send("GET", "jobs/" + jobId, BEARER, null).body());
            if (job.path("status").asText().equals("succeeded") || job.path("status").asText().equals("failed")) {
                break;
            }
            Thread.sleep(300);
        }
        assertNotNull(job);
        assertEquals("succeeded", job.path("status").asText(), job.toString());
        JsonNode progress = job.path("progress");
        assertEquals("store", progress.path("stage").asText(), "the stage follows the job: " + job);
        assertEquals(sampleCount, progress.path("total").asInt(), job.toString());
        assertEquals(sampleCount, progress.path("retrieve").path("done").asInt());
        assertEquals(sampleCount, progress.path("enhance").path("done").asInt());
        assertEquals(sampleCount, progress.path("store").path("done").asInt());
        assertEquals(sampleCount, job.path("result").path("series").get(0).path("derivedInstances").asInt());
        assertEquals("/jobs/" + jobId + "/preview.png", job.path("links").path("preview").asText());

        HttpResponse<byte[]> png = http.send(request("GET", "jobs/" + jobId + "/preview.png", BEARER, null),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        BufferedImage sheet = ImageIO.read(new ByteArrayInputStream(png.body()));
        // 217x181 source at 2x by pixel repetition, an 8-pixel gap, the 434x362 derived slice, under the label band
        assertEquals(362 + 8 + 362, sheet.getWidth());
        assertEquals(io.scanenhancer.image.BeforeAfterPng.LABEL_HEIGHT + 434, sheet.getHeight());
    }

    @Test
    void previewOfAnUnfinishedJobIs409AndOpenApiDescribesTheApi() throws Exception {
        HttpResponse<String> openapi = send("GET", "q/openapi?format=json", null, null);
        assertEquals(200, openapi.statusCode());
        JsonNode doc = JSON.readTree(openapi.body());
        assertTrue(doc.path("paths").has("/studies/{uid}/enhance"), openapi.body());
        assertTrue(doc.path("paths").has("/jobs/{id}"));
        assertTrue(doc.path("paths").has("/jobs/{id}/preview.png"));
        assertEquals("bearer", doc.path("components").path("securitySchemes").path("bearer").path("scheme").asText());
        // the REST body takes every field of the Kafka request (but synthesize's count) with the same bounds
        System.out.println("OpenAPI EnhanceRequest: " + doc.path("components").path("schemas").path("EnhanceRequest"));
        assertEquals(java.util.List.of(), RequestSchemaComparison.differences(doc, RequestSchemaComparison.kafkaRequestSchema()));
        HttpResponse<String> swagger = send("GET", "q/swagger-ui", null, null);
        assertEquals(200, swagger.statusCode());
        assertTrue(swagger.body().toLowerCase().contains("swagger"));

        // a job that was accepted but is not finished: no preview yet, and the answer says why
        String id = "unfinished-" + UUID.randomUUID();
        HttpResponse<String> posted = send("POST", "studies/" + study + "/enhance", BEARER,
                "{\"requestId\":\"" + id + "\",\"sourcePacs\":\"dead\",\"targetPacs\":\"orthanc\"}");
        assertEquals(202, posted.statusCode(), posted.body());
        HttpResponse<String> preview = send("GET", "jobs/" + id + "/preview.png", BEARER, null);
        assertEquals(409, preview.statusCode(), preview.body());
        assertEquals("not-ready", JSON.readTree(preview.body()).path("error").asText());
        HttpResponse<String> again = send("POST", "studies/" + study + "/enhance", BEARER,
                "{\"requestId\":\"" + id + "\",\"sourcePacs\":\"dead\",\"targetPacs\":\"orthanc\"}");
        assertEquals(409, again.statusCode());
        assertEquals("duplicate-request-id", JSON.readTree(again.body()).path("error").asText());
    }

    @Test
    void redriveNeedsCredentialsChecksItsFilterAndIsAudited() throws Exception {
        assertEquals(401, send("POST", "dead-letters/redrive", null, "{}").statusCode());
        HttpResponse<String> bad = send("POST", "dead-letters/redrive", BEARER, "{\"from\":\"yesterday\"}");
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("invalid-filter", JSON.readTree(bad.body()).path("error").asText());
        HttpResponse<String> dry = send("POST", "dead-letters/redrive", BASIC,
                "{\"reason\":[\"pacs-unavailable\"],\"from\":\"2024-05-01T08:00:00Z\",\"dryRun\":true}");
        assertEquals(200, dry.statusCode(), dry.body());
        JsonNode report = JSON.readTree(dry.body());
        assertTrue(report.path("dryRun").asBoolean(), dry.body());
        assertTrue(report.path("republished").isArray() && report.path("refused").isArray(), dry.body());

        // the refused credentials (User Authentication) and the refused filter (Order Record, execute) are on file,
        // with the caller: the basic user, or the token that names no one
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String audit = "";
        while (System.nanoTime() < deadline && !(audit.contains("csd-code=\"110114\"") && audit.contains("redrive"))) {
            java.nio.file.Path f = java.nio.file.Path.of(auditFile);
            audit = java.nio.file.Files.exists(f) ? java.nio.file.Files.readString(f) : "";
            Thread.sleep(100);
        }
        assertTrue(audit.contains("csd-code=\"110114\""), "a refused login is audited: " + audit);
        assertTrue(audit.contains("EventActionCode=\"E\"") && audit.contains("POST /dead-letters/redrive")
                && audit.contains("UserID=\"bearer-token\""), "the refused redrive is audited: " + audit);
    }

    private HttpRequest request(String method, String path, String auth, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(60));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> send(String method, String path, String auth, String body) throws Exception {
        return http.send(request(method, path, auth, body), HttpResponse.BodyHandlers.ofString());
    }
}
