package io.scanenhancer.harness.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.MultipleInstanceTransferStatusHandler;
import com.pixelmed.network.StorageSOPClassSCU;
import io.scanenhancer.harness.FreePorts;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.ServeProcess;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.messaging.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./enhancer demo --push}: the receiver path end to end, the way a PACS routing rule drives it. The local
 * stack, then {@code serve} as its own process with the DICOM receiver on (the Quarkus service: the receiver is part
 * of it); the sample study is loaded into Orthanc (the PACS holds the images) and sent to the receiver with C-STORE
 * (PixelMed's StorageSOPClassSCU) under the calling AE title ORTHANC, which the receiver maps to the PACS "orthanc".
 * Nobody publishes a request: the receiver does, once the study has been stable; the demo waits for the result.
 */
final class PushDemo {
    static final String RECEIVER_AE = "SCANENHANCER-RX";
    static final String CALLING_AE = "ORTHANC";
    private static final String STABLE_AGE = "3s";

    private PushDemo() {
    }

    static int run(String kind, List<Path> files, Path out) throws Exception {
        System.out.println("starting Kafka (KRaft) and Orthanc on 127.0.0.1 ...");
        try (LocalStack stack = LocalStack.start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close)); // Ctrl-C still stops Orthanc
            String study = DemoCommand.load(stack, files);
            System.out.printf("loaded %d instances of study %s into Orthanc (the PACS)%n", files.size(), study);

            Topics topics = Topics.defaults();
            stack.broker().createTopics(topics.requests(), topics.results(), topics.deadLetters(), topics.progress());
            int receiverPort = FreePorts.next();
            Map<String, String> settings = Map.of("enhancer.receiver.enabled", "true",
                    "enhancer.receiver.ae-title", RECEIVER_AE, "enhancer.receiver.port", Integer.toString(receiverPort),
                    "enhancer.receiver.stable-age", STABLE_AGE, "enhancer.model", kind,
                    "enhancer.consumer.group-id", "scan-enhancer-demo-push",
                    // its own pending-study state: one left by an earlier run must not publish requests here
                    "enhancer.receiver.state-dir", Files.createDirectories(out).resolve("receiver-state").toAbsolutePath().toString());
            Path log = out.resolve("serve.log").toAbsolutePath();
            System.out.printf("starting serve (Quarkus) with the receiver on: AE %s, port %d, stable age %s; log %s%n",
                    RECEIVER_AE, receiverPort, STABLE_AGE, log);
            try (ServeProcess serve = ServeProcess.start(stack, log, List.of("-Xmx2g",
                    // a system property, not the environment: an environment variable's name loses the AE title's case
                    "-Denhancer.receiver.calling-ae." + CALLING_AE + "=" + LocalStack.DICOMWEB), settings)) {
                serve.awaitReady(Duration.ofMinutes(5));
                serve.awaitLogLine("receiver: Storage SCP", Duration.ofSeconds(30));

                SetOfDicomFiles set = new SetOfDicomFiles();
                for (Path f : files) {
                    set.add(f.toFile());
                }
                AtomicInteger done = new AtomicInteger();
                AtomicInteger failed = new AtomicInteger();
                long start = System.nanoTime();
                StorageSOPClassSCU scu = new StorageSOPClassSCU("127.0.0.1", receiverPort, RECEIVER_AE, CALLING_AE, set, 0,
                        new MultipleInstanceTransferStatusHandler() {
                            @Override
                            public void updateStatus(int remaining, int completed, int failures, int warnings, String sop) {
                                done.set(completed + warnings);
                                failed.set(failures);
                            }
                        });
                if (scu.encounteredTrappedExceptions() || failed.get() > 0) {
                    System.err.printf("C-STORE to the receiver failed (%d of %d refused); see %s%n", failed.get(), files.size(), log);
                    return 1;
                }
                System.out.printf("C-STORE %s -> %s:%d: %d instances acknowledged in %.2f s; the receiver publishes the "
                                + "request once the study has been quiet for %s ...%n", CALLING_AE, RECEIVER_AE, receiverPort,
                        done.get(), (System.nanoTime() - start) / 1e9, STABLE_AGE);

                ObjectMapper json = new ObjectMapper();
                ConsumerRecord<String, byte[]> request = TopicReader.await(stack.broker().bootstrapServers(), topics.requests(),
                        r -> study.equals(r.key()), Duration.ofMinutes(2)).orElse(null);
                if (request == null) {
                    System.err.println("the receiver published no request within 2 minutes; see " + log);
                    return 1;
                }
                String requestId = json.readTree(request.value()).path("requestId").asText();
                System.out.printf("request %s on %s (published by the receiver, source PACS %s)%n", requestId,
                        topics.requests(), json.readTree(request.value()).path("sourcePacs").asText());
                ConsumerRecord<String, byte[]> result = TopicReader.await(stack.broker().bootstrapServers(), topics.results(),
                        r -> requestId.equals(requestIdOf(json, r.value())), Duration.ofMinutes(30)).orElse(null);
                long endToEndMs = (System.nanoTime() - start) / 1_000_000;
                if (result == null) {
                    System.err.println("no result event within 30 minutes; see " + log);
                    return 1;
                }
                JsonNode event = json.readTree(result.value());
                if (!"succeeded".equals(event.path("status").asText())) {
                    System.err.println("request failed: " + event.path("reason").asText());
                    return 1;
                }
                JsonNode series = event.path("series").get(0);
                String derived = series.path("derivedSeriesInstanceUid").asText();
                System.out.println();
                System.out.printf("derived series %s of study %s is in PACS '%s': %d instances, method %s%n", derived, study,
                        event.path("targetPacs").asText(), series.path("derivedInstances").asInt(), event.path("method").asText());
                System.out.printf("  DICOMweb: %s/studies/%s/series/%s%n", stack.orthanc().dicomWebUrl(), study, derived);
                System.out.printf("  Orthanc:  %s/app/explorer.html (user %s, password %s)%n", stack.orthanc().httpUrl(),
                        stack.orthanc().user(), stack.orthanc().password());
                System.out.printf("first C-STORE -> result event: %d ms (of which the stable age %s)%n", endToEndMs, STABLE_AGE);
                if (System.console() != null) {
                    System.out.println("Orthanc and serve stay up; press Enter to stop them.");
                    System.in.read();
                }
                return 0;
            }
        }
    }

    private static String requestIdOf(ObjectMapper json, byte[] value) {
        try {
            return json.readTree(value).path("requestId").asText(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
