package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.harness.LocalOrthanc;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.messaging.DeadLetterHeaders;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pacs.PacsSettings;
import io.scanenhancer.pipeline.Pipeline;
import io.scanenhancer.tracing.Tracing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One trace from request to result: a request published with a known traceparent goes through the real broker, the
 * pipeline and a real Orthanc; the result record carries the same trace id under the job's span, Orthanc received the
 * trace id in its DICOMweb calls (recorded by a Lua IncomingHttpRequestFilter), and the spans (in-process exporter)
 * are the job, find, retrieve, enhance, store and the PACS calls, all of that trace. A request that is dead-lettered
 * carries its trace on in the dead letter and the failed result.
 */
@io.scanenhancer.StartsServices
class TraceAcrossKafkaTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String DLQ_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    @TempDir
    Path temp;

    @Test
    void oneTraceFromRequestToResultAndIntoThePacs() throws Exception {
        LocalStack stack = SharedStack.get();
        Path seen = temp.resolve("traceparents-seen-by-orthanc.txt");
        String recorder = """
                function IncomingHttpRequestFilter(method, uri, ip, username, headers)
                  local tp = headers["traceparent"]
                  if tp ~= nil then
                    local f = io.open("%s", "a")
                    f:write(method .. " " .. uri .. " " .. tp .. "\\n")
                    f:close()
                  end
                  return true
                end
                """.formatted(seen);
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (LocalOrthanc orthanc = LocalOrthanc.start(List.of(), List.of(recorder));
             OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                     .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build()) {
            SeriesFixture series = SeriesFixture.write(temp.resolve("series"), 3);
            E2e.uploadViaRest(orthanc, series.files());
            Files.deleteIfExists(seen); // the upload above is the test's, not the service's
            Topics topics = new Topics("traced.requested", "traced.enhanced", "traced.dlq");
            var settings = stack.settings("traced", topics).withEnhancer(Enhancers.BICUBIC).withPacs(List.of(
                    new PacsSettings.DicomWeb("traced", URI.create(orthanc.dicomWebUrl()), orthanc.user(), orthanc.password(),
                            null, Duration.ofSeconds(60))));
            try (Pipeline pipeline = Pipeline.builder(settings).tracing(Tracing.of(sdk)).start()) {
                String requestId = UUID.randomUUID().toString();
                publish(stack, topics.requests(), series.studyInstanceUid(),
                        E2e.request(requestId, series.studyInstanceUid(), "traced", "traced"),
                        "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01", "vendor=opaque");
                ConsumerRecord<String, byte[]> result = await(stack, topics.results(), requestId);
                assertEquals("succeeded", E2e.JSON.readTree(result.value()).path("status").asText());

                String[] parent = header(result, "traceparent").split("-");
                assertEquals(TRACE_ID, parent[1], "the result is in the request's trace");
                assertNotEquals(CALLER_SPAN, parent[2], "the result's parent is the job's span, not the caller's");
                assertEquals("vendor=opaque", header(result, "tracestate"), "the caller's tracestate goes along");

                List<SpanData> trace = spans.getFinishedSpanItems();
                print(trace);
                assertTrue(trace.stream().allMatch(s -> s.getTraceId().equals(TRACE_ID)), "every span in the one trace");
                SpanData job = one(trace, "enhance-study");
                assertEquals(CALLER_SPAN, job.getParentSpanId(), "the job continues the caller's span");
                assertEquals(parent[2], job.getSpanId(), "the result record names the job's span as its parent");
                assertEquals(requestId, job.getAttributes().get(Tracing.JOB_ID));
                for (String stage : List.of("find", "retrieve", "enhance", "store")) {
                    SpanData s = one(trace, stage);
                    assertEquals(job.getSpanId(), s.getParentSpanId(), stage + " is a child of the job");
                    assertEquals(requestId, s.getAttributes().get(Tracing.JOB_ID), stage + " names the job");
                }
                Set<String> underStore = trace.stream().filter(s -> s.getParentSpanId().equals(one(trace, "store").getSpanId()))
                        .map(SpanData::getName).collect(Collectors.toSet());
                assertTrue(underStore.contains("pacs store"), "STOW-RS under the store span: " + underStore);
                assertTrue(trace.stream().anyMatch(s -> s.getName().equals("pacs retrieve")
                        && s.getParentSpanId().equals(one(trace, "retrieve").getSpanId())), "WADO-RS under the retrieve span");

                // what Orthanc saw: its QIDO, WADO and STOW requests carried the trace, each under a PACS call span
                List<String> received = Files.readAllLines(seen);
                System.out.println("traceparent headers Orthanc received:\n  " + String.join("\n  ", received));
                Set<String> pacsSpanIds = trace.stream().filter(s -> s.getName().startsWith("pacs "))
                        .map(SpanData::getSpanId).collect(Collectors.toSet());
                for (String line : received) {
                    String[] tp = line.substring(line.lastIndexOf(' ') + 1).split("-");
                    assertEquals(TRACE_ID, tp[1], line);
                    assertTrue(pacsSpanIds.contains(tp[2]), "the header names a PACS call span: " + line);
                }
                assertTrue(received.stream().anyMatch(l -> l.startsWith("GET /dicom-web/studies/" + series.studyInstanceUid()
                        + "/series/" + series.seriesInstanceUid() + " ")), "WADO-RS of the series: " + received);
                assertTrue(received.stream().anyMatch(l -> l.startsWith("POST /dicom-web/studies ")), "STOW-RS: " + received);

                // a request that fails: its dead letter and failed result carry the trace on, under the job's span
                spans.reset();
                String failing = UUID.randomUUID().toString();
                publish(stack, topics.requests(), "1.2.3.4.5", E2e.request(failing, "1.2.3.4.5", "traced", "traced"),
                        "00-" + DLQ_TRACE_ID + "-" + CALLER_SPAN + "-01", null);
                ConsumerRecord<String, byte[]> failedResult = await(stack, topics.results(), failing);
                ConsumerRecord<String, byte[]> deadLetter = TopicReader.await(stack.broker().bootstrapServers(),
                        topics.deadLetters(), r -> failing.equals(header(r, DeadLetterHeaders.REQUEST_ID)), E2e.RESULT_TIMEOUT)
                        .orElseThrow(() -> new AssertionError("no dead letter for " + failing));
                SpanData failedJob = one(spans.getFinishedSpanItems(), "enhance-study");
                assertEquals(StatusCode.ERROR, failedJob.getStatus().getStatusCode());
                for (ConsumerRecord<String, byte[]> r : List.of(failedResult, deadLetter)) {
                    assertEquals("00-" + DLQ_TRACE_ID + "-" + failedJob.getSpanId() + "-01", header(r, "traceparent"), r.topic());
                    assertEquals(1, count(r, "traceparent"), "one traceparent on " + r.topic() + ", the job's");
                }
            }
        }
    }

    private static void publish(LocalStack stack, String topic, String key, String value, String traceparent,
                                String tracestate) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.broker().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8));
            r.headers().add("traceparent", traceparent.getBytes(StandardCharsets.US_ASCII));
            if (tracestate != null) {
                r.headers().add("tracestate", tracestate.getBytes(StandardCharsets.US_ASCII));
            }
            p.send(r).get();
        }
    }

    private static ConsumerRecord<String, byte[]> await(LocalStack stack, String topic, String requestId) {
        return TopicReader.await(stack.broker().bootstrapServers(), topic, r -> {
            try {
                JsonNode n = E2e.JSON.readTree(r.value());
                return requestId.equals(n.path("requestId").asText());
            } catch (Exception e) {
                return false;
            }
        }, E2e.RESULT_TIMEOUT).orElseThrow(() -> new AssertionError("no record for " + requestId + " on " + topic));
    }

    private static String header(ConsumerRecord<String, byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static int count(ConsumerRecord<String, byte[]> r, String key) {
        int n = 0;
        for (Header ignored : r.headers().headers(key)) {
            n++;
        }
        return n;
    }

    private static SpanData one(List<SpanData> spans, String name) {
        List<SpanData> found = spans.stream().filter(s -> s.getName().equals(name)).toList();
        assertEquals(1, found.size(), "one span '" + name + "' in " + spans.stream().map(SpanData::getName).toList());
        return found.get(0);
    }

    /** The trace as a reader of the README would see it in a trace viewer: name, ids, parent, duration. */
    private static void print(List<SpanData> trace) {
        StringBuilder b = new StringBuilder("trace ").append(TRACE_ID).append(":\n");
        trace.stream().sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).forEach(s -> b.append(String.format(
                "  %-14s span %s parent %s %6.1f ms %s%n", s.getName(), s.getSpanId(),
                SpanId.isValid(s.getParentSpanId()) ? s.getParentSpanId() : "-",
                (s.getEndEpochNanos() - s.getStartEpochNanos()) / 1e6, s.getAttributes().asMap().entrySet().stream()
                        .filter(e -> !e.getKey().getKey().startsWith("dicom.")).map(e -> e.getKey().getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" ")))));
        System.out.print(b);
    }
}
