package io.scanenhancer.harness.demo;

import io.scanenhancer.cli.Args;

import io.scanenhancer.image.BeforeAfterPng;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.dicom.RefusedInputException;
import io.scanenhancer.dicom.SourceImage;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.messaging.EventJson;
import io.scanenhancer.messaging.StudyRequest;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pipeline.Pipeline;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code ./enhancer demo}: a local broker and Orthanc, the sample series loaded into Orthanc, one request published
 * the way a hospital system would, the result event awaited, and a before/after PNG written. No Quarkus, but the
 * same assembly (io.scanenhancer.pipeline.Pipeline) and settings the service runs. {@code --push}: the DICOM
 * receiver's path instead ({@link PushDemo}).
 */
public final class DemoCommand {
    static final Path DEFAULT_SAMPLES = Path.of("samples", "mr-t1-colin27");
    static final Path FALLBACK_SAMPLE = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm");

    private DemoCommand() {
    }

    static final Args.Spec OPTIONS = Args.spec("demo", "local Kafka + Orthanc, sample series -> request -> derived series, PNG")
            .text("enhancer", Enhancers.DIFFUSION, "diffusion or bicubic")
            .text("samples", DEFAULT_SAMPLES.toString(), "the sample series")
            .text("out", "demo-output", "folder for the derived series and the PNG")
            .text("pacs", LocalStack.DICOMWEB, "orthanc, orthanc-dimse or orthanc-dimse-move")
            .flag("push", "the receiver path: serve with the DICOM receiver on, the study sent to it with C-STORE (PushDemo)");

    public static int run(String[] argv) {
        Args args;
        try {
            args = OPTIONS.parse(argv);
        } catch (Args.UsageException e) {
            System.err.println("demo: " + e.getMessage());
            System.err.print(OPTIONS.help());
            return 2;
        }
        if (args.helpRequested()) {
            System.out.print(OPTIONS.help());
            return 0;
        }
        String kind = args.get("enhancer");
        Path samples = args.path("samples");
        Path out = args.path("out");
        String pacsName = args.get("pacs");
        try {
            if (args.flag("push")) {
                return PushDemo.run(kind, sampleFiles(samples), out);
            }
            return demo(kind, samples, out, pacsName);
        } catch (Exception e) {
            System.err.println("demo failed: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    private static int demo(String kind, Path samples, Path out, String pacsName) throws Exception {
        List<Path> files = sampleFiles(samples);
        System.out.println("starting Kafka (KRaft) and Orthanc on 127.0.0.1 ...");
        try (LocalStack stack = LocalStack.start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close)); // Ctrl-C still stops Orthanc
            System.out.printf("  Kafka   %s%n  Orthanc %s (DICOM port %d, AE %s)%n", stack.broker().bootstrapServers(),
                    stack.orthanc().httpUrl(), stack.orthanc().dicomPort(), "ORTHANC");
            String study = load(stack, files);
            System.out.printf("loaded %d instances of study %s into Orthanc%n", files.size(), study);

            Topics topics = Topics.defaults();
            ObjectMapper json = EventJson.mapper();
            // the pipeline serve runs, with serve's settings, pointed at the local broker and Orthanc
            try (Pipeline pipeline = Pipeline.start(stack.settings("scan-enhancer-demo", topics).withEnhancer(kind))) {
                if (pipeline.enhancerChoice().note() != null) {
                    System.out.println("note: " + pipeline.enhancerChoice().note());
                }
                String requestId = UUID.randomUUID().toString();
                StudyRequest request = new StudyRequest(requestId, study, null, pacsName, pacsName,
                        StudyRequest.OPERATION_ENHANCE, 2, null, 42L);
                long start = System.nanoTime();
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pipeline.kafka().requestProducer())) {
                    producer.send(new ProducerRecord<>(topics.requests(), study, json.writeValueAsBytes(request))).get();
                }
                System.out.printf("published request %s to %s; waiting for %s ...%n", requestId, topics.requests(),
                        topics.results());
                Optional<ConsumerRecord<String, byte[]>> result = TopicReader.await(stack.broker().bootstrapServers(),
                        topics.results(), r -> requestId.equals(requestIdOf(json, r.value())), Duration.ofMinutes(30));
                long endToEndMs = (System.nanoTime() - start) / 1_000_000;
                if (result.isEmpty()) {
                    System.err.println("no result event within 30 minutes");
                    return 1;
                }
                JsonNode event = json.readTree(result.get().value());
                if (!"succeeded".equals(event.path("status").asText())) {
                    System.err.println("request failed: " + event.path("reason").asText());
                    return 1;
                }
                JsonNode series = event.path("series").get(0);
                String derivedSeries = series.path("derivedSeriesInstanceUid").asText();
                Path png = out.resolve("before-after.png").toAbsolutePath();
                writeBeforeAfter(stack, series.path("sourceSeriesInstanceUid").asText(), derivedSeries, png);
                JsonNode t = event.path("timingsMs");
                System.out.println();
                System.out.println("derived Series Instance UID: " + derivedSeries);
                System.out.printf("  %d source instances -> %d derived instances, model %s %s, method %s%n",
                        series.path("sourceInstances").asInt(), series.path("derivedInstances").asInt(),
                        event.path("modelId").asText(), event.path("modelVersion").asText(), event.path("method").asText());
                System.out.printf("Orthanc: %s/app/explorer.html (user %s, password %s)%n", stack.orthanc().httpUrl(),
                        stack.orthanc().user(), stack.orthanc().password());
                System.out.println("before/after PNG: " + png);
                System.out.printf("end-to-end %d ms (request published -> result event read); job %d ms = retrieve %d"
                                + " + enhance %d + store %d ms%n", endToEndMs, t.path("total").asLong(),
                        t.path("retrieve").asLong(), t.path("enhance").asLong(), t.path("store").asLong());
            }
            if (System.console() != null) {
                System.out.println("Orthanc stays up; press Enter to stop it.");
                System.in.read();
            }
            return 0;
        }
    }

    static List<Path> sampleFiles(Path samples) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(samples)) {
            try (Stream<Path> s = Files.list(samples)) {
                s.filter(p -> p.getFileName().toString().endsWith(".dcm")).sorted().forEach(files::add);
            }
        }
        if (files.isEmpty()) {
            if (!Files.exists(FALLBACK_SAMPLE)) {
                throw new IOException("no sample DICOM files in " + samples + " and no " + FALLBACK_SAMPLE);
            }
            System.out.println("note: no sample series in " + samples + "; using " + FALLBACK_SAMPLE);
            files.add(FALLBACK_SAMPLE);
        }
        return files;
    }

    /** Loads files through Orthanc's REST API; returns the Study Instance UID. */
    static String load(LocalStack stack, List<Path> files) throws IOException {
        ObjectMapper json = new ObjectMapper();
        String study = null;
        for (Path file : files) {
            HttpResponse<String> r = stack.orthanc().post("/instances", Files.readAllBytes(file));
            if (r.statusCode() != 200) {
                throw new IOException("Orthanc refused " + file + ": HTTP " + r.statusCode() + " " + r.body());
            }
            if (study == null) {
                String studyId = json.readTree(r.body()).path("ParentStudy").asText();
                study = json.readTree(stack.orthanc().get("/studies/" + studyId).body())
                        .path("MainDicomTags").path("StudyInstanceUID").asText();
            }
        }
        return study;
    }

    private static void writeBeforeAfter(LocalStack stack, String sourceSeries, String derivedSeries, Path png)
            throws IOException, RefusedInputException {
        List<String> source = instancesByNumber(stack, sourceSeries);
        List<String> derived = instancesByNumber(stack, derivedSeries);
        int middle = source.size() / 2;
        SourceImage before = SourceImage.read(download(stack, source.get(middle)));
        SourceImage after = SourceImage.read(download(stack, derived.get(Math.min(middle, derived.size() - 1))));
        BeforeAfterPng.write(before.frame(before.frameCount() / 2), after.frame(after.frameCount() / 2), png);
    }

    /** Orthanc ids of a series' instances, ordered by Instance Number. */
    private static List<String> instancesByNumber(LocalStack stack, String seriesUid) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode lookup = json.readTree(stack.orthanc().post("/tools/lookup", seriesUid.getBytes(StandardCharsets.US_ASCII)).body());
        String seriesId = lookup.get(0).path("ID").asText();
        JsonNode instances = json.readTree(stack.orthanc().get("/series/" + seriesId + "/instances").body());
        List<JsonNode> list = new ArrayList<>();
        instances.forEach(list::add);
        list.sort(Comparator.comparingInt(n -> parseIntOr(n.path("MainDicomTags").path("InstanceNumber").asText(), 0)));
        return list.stream().map(n -> n.path("ID").asText()).toList();
    }

    private static byte[] download(LocalStack stack, String instanceId) throws IOException {
        return stack.orthanc().getBytes("/instances/" + instanceId + "/file");
    }

    private static int parseIntOr(String s, int fallback) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String requestIdOf(ObjectMapper json, byte[] value) {
        try {
            return json.readTree(value).path("requestId").asText(null);
        } catch (IOException e) {
            return null;
        }
    }
}
