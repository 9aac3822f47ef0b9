package io.scanenhancer.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.MultipleInstanceTransferStatusHandler;
import com.pixelmed.network.StorageSOPClassSCU;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanenhancer.StartsServices;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.messaging.RequestParser;
import io.scanenhancer.messaging.StudyRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receiver against the real broker: the 12-slice sample study pushed with PixelMed's C-STORE SCU (an independent
 * DICOM stack would be dcmtk's storescu; the README shows that command) and with STOW-RS, each ending in exactly one
 * request on the requests topic for the sender's PACS. Prints the figures the README reports.
 */
@QuarkusTest
@QuarkusTestResource(value = ReceiverStackResource.class, restrictToAnnotatedClass = true)
@StartsServices
class ReceiverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUESTS = "imaging.study.requested";
    private static final Path SAMPLES = Path.of("samples", "mr-t1-colin27");

    @TestHTTPResource("/")
    URL root;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "test.study-uid")
    String study;
    @ConfigProperty(name = "enhancer.receiver.port")
    int port;

    @Test
    void aStudyPushedWithCStoreBecomesOneRequestForTheSendersPacs() throws Exception {
        List<Path> files = samples();
        assertEquals(12, files.size());
        SetOfDicomFiles set = new SetOfDicomFiles();
        for (Path f : files) {
            set.add(f.toFile());
        }
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        StorageSOPClassSCU scu = new StorageSOPClassSCU("127.0.0.1", port, ReceiverStackResource.AE_TITLE,
                ReceiverStackResource.MODALITY, set, 0, status(done, failed));
        long lastInstanceMillis = System.currentTimeMillis();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertFalse(scu.encounteredTrappedExceptions());
        assertEquals(12, done.get(), "instances acknowledged");
        assertEquals(0, failed.get());

        Predicate<ConsumerRecord<String, byte[]>> ours = r -> study.equals(r.key()) && source(r).equals("orthanc");
        ConsumerRecord<String, byte[]> record = TopicReader.await(bootstrap, REQUESTS, ours, Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError("no request for the pushed study"));
        long toRequestMillis = record.timestamp() - lastInstanceMillis;
        StudyRequest request = new RequestParser(JSON).parse(new String(record.value(), StandardCharsets.UTF_8));
        assertEquals(study, request.studyInstanceUid());
        assertEquals("orthanc", request.sourcePacs());
        assertEquals("orthanc", request.targetPacs(), "no target-pacs configured: back into the source");
        assertEquals(StudyRequest.OPERATION_ENHANCE, request.operation());
        assertEquals(1, request.seriesInstanceUids().size());
        // the SCU returns a moment after the receiver took the last instance in
        assertTrue(toRequestMillis >= Duration.parse("PT" + ReceiverStackResource.STABLE_AGE).toMillis() - 500,
                "published before the stable age: " + toRequestMillis + " ms");

        // exactly one: nothing more turns up for three stable ages
        Optional<ConsumerRecord<String, byte[]>> second = TopicReader.await(bootstrap, REQUESTS,
                r -> ours.test(r) && r.offset() != record.offset(), Duration.ofSeconds(6));
        assertTrue(second.isEmpty(), "a second request for the study");
        assertEquals(1, TopicReader.readAll(bootstrap, REQUESTS).stream().filter(ours).count());

        System.out.printf("receiver figures: C-STORE of %d instances in %.2f s = %.1f instances/s; last instance to "
                + "request on the topic %d ms (stable age %s, check interval 100 ms)%n", files.size(), seconds,
                files.size() / seconds, toRequestMillis, ReceiverStackResource.STABLE_AGE);
    }

    /**
     * An independent sender, dcmtk's storescu, as a PACS pushes: the 12 slices ten times over in one association (the
     * repeats go through the whole receive path and change nothing), one request in the end.
     */
    @Test
    void dcmtkStorescuPushesAndTheStudyIsRequestedOnce() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/storescu")), "dcmtk is not installed");
        List<String> command = new java.util.ArrayList<>(List.of("storescu", "-aet", ReceiverStackResource.DCMTK, "-aec",
                ReceiverStackResource.AE_TITLE, "127.0.0.1", Integer.toString(port)));
        List<Path> files = samples();
        for (int round = 0; round < 10; round++) {
            files.forEach(f -> command.add(f.toString()));
        }
        long start = System.nanoTime();
        Process storescu = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(storescu.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(storescu.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        long lastInstanceMillis = System.currentTimeMillis();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, storescu.exitValue(), output);

        Predicate<ConsumerRecord<String, byte[]>> ours = r -> study.equals(r.key()) && source(r).equals("dead");
        ConsumerRecord<String, byte[]> record = TopicReader.await(bootstrap, REQUESTS, ours, Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError("no request for the study storescu sent"));
        Optional<ConsumerRecord<String, byte[]>> second = TopicReader.await(bootstrap, REQUESTS,
                r -> ours.test(r) && r.offset() != record.offset(), Duration.ofSeconds(6));
        assertTrue(second.isEmpty(), "a second request for the study");
        System.out.printf("receiver figures: dcmtk storescu, %d C-STOREs (12 distinct instances) in one association in "
                + "%.2f s = %.1f instances/s; last instance to request on the topic %d ms%n", command.size() - 7, seconds,
                (command.size() - 7) / seconds, record.timestamp() - lastInstanceMillis);
    }

    @Test
    void anUnknownCallingAeTitleIsRejected() throws Exception {
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        SetOfDicomFiles set = new SetOfDicomFiles();
        set.add(samples().get(0).toFile());
        boolean refused;
        try {
            StorageSOPClassSCU scu = new StorageSOPClassSCU("127.0.0.1", port, ReceiverStackResource.AE_TITLE, "STRANGER",
                    set, 0, status(done, failed));
            refused = scu.encounteredTrappedExceptions();
        } catch (Exception e) {
            refused = true; // PixelMed reports the A-ASSOCIATE-RJ as an exception
        }
        assertTrue(refused, "the association of an unknown calling AE title was accepted");
        assertEquals(0, done.get());
    }

    @Test
    void aStudyPostedWithStowRsBecomesOneRequestForTheStowSourcePacs() throws Exception {
        List<Path> files = samples();
        String boundary = "rx-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Path f : files) {
            body.write(("\r\n--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.write(Files.readAllBytes(f));
        }
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        String contentType = "multipart/related; type=\"application/dicom\"; boundary=" + boundary;
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(root + "dicom-web/studies"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), "STOW-RS without credentials");

        long start = System.nanoTime();
        HttpResponse<String> stored = http.send(HttpRequest.newBuilder(URI.create(root + "dicom-web/studies"))
                .header("Content-Type", contentType).header("Authorization", "Bearer " + ReceiverStackResource.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        long lastInstanceMillis = System.currentTimeMillis();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(200, stored.statusCode(), stored.body());
        JsonNode referenced = JSON.readTree(stored.body()).path("00081199").path("Value");
        assertEquals(12, referenced.size(), stored.body());

        Predicate<ConsumerRecord<String, byte[]>> ours = r -> study.equals(r.key()) && source(r).equals("orthanc-dimse");
        ConsumerRecord<String, byte[]> record = TopicReader.await(bootstrap, REQUESTS, ours, Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError("no request for the STOW-RS study"));
        StudyRequest request = new RequestParser(JSON).parse(new String(record.value(), StandardCharsets.UTF_8));
        assertEquals(study, request.studyInstanceUid());
        assertEquals("orthanc-dimse", request.sourcePacs());
        Optional<ConsumerRecord<String, byte[]>> second = TopicReader.await(bootstrap, REQUESTS,
                r -> ours.test(r) && r.offset() != record.offset(), Duration.ofSeconds(6));
        assertTrue(second.isEmpty(), "a second request for the study");
        System.out.printf("receiver figures: STOW-RS of %d instances in %.2f s = %.1f instances/s; last instance to "
                + "request on the topic %d ms%n", files.size(), seconds, files.size() / seconds,
                record.timestamp() - lastInstanceMillis);
    }

    private static String source(ConsumerRecord<String, byte[]> r) {
        try {
            return JSON.readTree(r.value()).path("sourcePacs").asText();
        } catch (Exception e) {
            return "";
        }
    }

    private static List<Path> samples() throws Exception {
        try (Stream<Path> s = Files.list(SAMPLES)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
    }

    private static MultipleInstanceTransferStatusHandler status(AtomicInteger done, AtomicInteger failed) {
        return new MultipleInstanceTransferStatusHandler() {
            @Override
            public void updateStatus(int remaining, int completed, int failures, int warnings, String sopInstanceUid) {
                done.set(completed + warnings);
                failed.set(failures);
            }
        };
    }
}
