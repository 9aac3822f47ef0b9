package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.cli.RedriveCommand;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.harness.LocalKafkaBroker;
import io.scanenhancer.harness.LocalOrthanc;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.messaging.DeadLetterRedrive;
import io.scanenhancer.messaging.KafkaClients;
import io.scanenhancer.messaging.KafkaSettings;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pacs.PacsRetryPolicy;
import io.scanenhancer.pacs.PacsSettings;
import io.scanenhancer.pipeline.Pipeline;
import io.scanenhancer.pipeline.PipelineSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PACS (a real Orthanc of its own) is down for longer than the retry budget: three studies are dead-lettered
 * (pacs-unavailable), beside a malformed record (invalid-request). Once the PACS is back, a redrive sends the three
 * again and refuses the malformed one; every study then completes exactly once. A second redrive (the CLI, forced)
 * sends none of the three again, since they have succeeded since.
 */
@io.scanenhancer.StartsServices
class DeadLetterRedriveTest {
    private static final int STUDIES = 3;
    private static final int SLICES = 2;

    @TempDir
    Path temp;
    private LocalOrthanc orthanc;
    private final List<SeriesFixture> studies = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Topics topics = new Topics("redrive-" + run + ".requested", "redrive-" + run + ".enhanced", "redrive-" + run + ".dlq");

    @BeforeEach
    void start() throws Exception {
        orthanc = LocalOrthanc.start();
        for (int i = 0; i < STUDIES; i++) {
            SeriesFixture s = SeriesFixture.write(temp.resolve("s" + i), SLICES);
            E2e.uploadViaRest(orthanc, s.files());
            studies.add(s);
        }
    }

    @AfterEach
    void stop() {
        orthanc.close();
    }

    @Test
    void anOutageLongerThanTheRetryBudgetIsRedrivenAndEveryStudyCompletesOnce() throws Exception {
        LocalKafkaBroker broker = SharedStack.get().broker();
        String bootstrap = broker.bootstrapServers();
        String group = "redrive-" + run;
        Map<String, String> studyOf = new HashMap<>();
        try (Pipeline pipeline = pipeline(group)) {
            orthanc.kill(); // the outage: every retrieve fails until it is back
            for (SeriesFixture s : studies) {
                String id = UUID.randomUUID().toString();
                studyOf.put(id, s.studyInstanceUid());
                E2e.publish(bootstrap, topics.requests(), s.studyInstanceUid(), E2e.request(id, s.studyInstanceUid(), "pacs", "pacs"));
            }
            E2e.publish(bootstrap, topics.requests(), "not-a-study", "{\"requestId\": \"malformed-" + run + "\", \"studyInstanceUid\": 42}");
            E2e.awaitAllAnswered(bootstrap, group, topics.requests(), E2e.RESULT_TIMEOUT);
            List<ConsumerRecord<String, byte[]>> letters = TopicReader.readAll(bootstrap, topics.deadLetters());
            Map<String, Long> codes = letters.stream().collect(Collectors.groupingBy(r -> header(r, "x-error-code"), Collectors.counting()));
            assertEquals(Map.of("pacs-unavailable", (long) STUDIES, "invalid-request", 1L), codes, "dead letters by code");

            orthanc.restart();
            DeadLetterRedrive redrive = new DeadLetterRedrive(new KafkaClients(KafkaSettings.plaintext(bootstrap)),
                    KafkaClients.Factory.REAL, topics);
            DeadLetterRedrive.Report dry = redrive.redrive(new DeadLetterRedrive.Filter(Set.of(), null, null, null, false, true));
            assertEquals(STUDIES, dry.republished().size(), "a dry run lists them");
            assertEquals(STUDIES + 1, TopicReader.readAll(bootstrap, topics.requests()).size(), "and sends nothing");

            long redriveAt = System.nanoTime();
            DeadLetterRedrive.Report report = redrive.redrive(new DeadLetterRedrive.Filter(Set.of(), null, null, null, false, false));
            assertEquals(studyOf.keySet(), report.republished().stream().map(DeadLetterRedrive.Letter::requestId)
                    .collect(Collectors.toSet()), "the three studies are sent again");
            assertTrue(report.republished().stream().allMatch(l -> l.redriveCount() == 1), report.toString());
            assertEquals(1, report.refused().size(), report.toString());
            DeadLetterRedrive.Letter refused = report.refused().get(0);
            assertEquals("invalid-request", refused.errorCode());
            assertTrue(refused.refusal().startsWith("permanent: invalid-request"), refused.refusal());

            List<ConsumerRecord<String, byte[]>> resent = TopicReader.readAll(bootstrap, topics.requests()).stream()
                    .filter(r -> r.headers().lastHeader(DeadLetterRedrive.REDRIVE_COUNT) != null).toList();
            assertEquals(STUDIES, resent.size(), "republished requests carry the redrive count");
            for (ConsumerRecord<String, byte[]> r : resent) {
                assertEquals("1", header(r, DeadLetterRedrive.REDRIVE_COUNT));
                assertEquals(null, r.headers().lastHeader("x-error-code"), "the dead-letter headers are stripped");
            }
            E2e.awaitAllAnswered(bootstrap, group, topics.requests(), E2e.RESULT_TIMEOUT);
            long lastResult = System.nanoTime();
            assertEachStudyCompletedOnce(bootstrap, studyOf);

            // again, forced, through the CLI: the three have succeeded since; the malformed record goes (forced) and
            // is dead-lettered again, with its redrive count
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = RedriveCommand.run(new String[] {"--bootstrap-servers", bootstrap, "--force",
                    "--requests-topic", topics.requests(), "--results-topic", topics.results(),
                    "--dead-letter-topic", topics.deadLetters()}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
            String printed = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, printed);
            assertTrue(printed.contains("1 republished, " + STUDIES + " refused"), printed);
            assertEquals(STUDIES, printed.lines().filter(l -> l.contains("already-succeeded")).count(), printed);
            E2e.awaitAllAnswered(bootstrap, group, topics.requests(), E2e.RESULT_TIMEOUT);
            assertEachStudyCompletedOnce(bootstrap, studyOf);
            assertTrue(TopicReader.readAll(bootstrap, topics.deadLetters()).stream()
                    .anyMatch(r -> "invalid-request".equals(header(r, "x-error-code")) && "1".equals(header(r, DeadLetterRedrive.REDRIVE_COUNT))),
                    "the forced malformed record was dead-lettered again, redrive count 1");

            System.out.printf("redrive: %d studies dead-lettered (pacs-unavailable) + 1 malformed; %d redriven, %d refused "
                            + "(%s); %d completed, one derived series and one success result each; %.1f s from redrive "
                            + "to the last result%n", codes.get("pacs-unavailable"), report.republished().size(),
                    report.refused().size(), refused.errorCode(), studyOf.size(), (lastResult - redriveAt) / 1e9);
        }
    }

    private void assertEachStudyCompletedOnce(String bootstrap, Map<String, String> studyOf) throws Exception {
        Map<String, Long> succeeded = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(bootstrap, topics.results())) {
            JsonNode n = E2e.JSON.readTree(r.value());
            if ("succeeded".equals(n.path("status").asText())) {
                succeeded.merge(n.path("requestId").asText(), 1L, Long::sum);
            }
        }
        Map<String, Long> once = new HashMap<>();
        studyOf.keySet().forEach(id -> once.put(id, 1L));
        assertEquals(once, succeeded, "one success result per dead-lettered request");
        for (String study : studyOf.values()) {
            assertEquals(2, E2e.qidoSeries(orthanc, study).size(), "the source series and exactly one derived series");
        }
    }

    private Pipeline pipeline(String group) throws Exception {
        PacsSettings pacs = new PacsSettings.DicomWeb("pacs", URI.create(orthanc.dicomWebUrl()), orthanc.user(),
                orthanc.password(), null, Duration.ofSeconds(10));
        PacsRetryPolicy.Rule once = new PacsRetryPolicy.Rule(1, Duration.ZERO, Duration.ofSeconds(10));
        // a short retry budget: three attempts per request, one call per attempt, so the outage outlasts it at once
        PipelineSettings settings = SharedStack.get().settings(group, topics).withPacs(List.of(pacs))
                .withPacsRetry(new PacsRetryPolicy(once, once, once, once))
                .withEnhancer(Enhancers.BICUBIC).withAttempts(3, Duration.ofMillis(300));
        return Pipeline.start(settings);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
