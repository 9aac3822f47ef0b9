package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.LocalOrthanc;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pipeline.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing of ours on the way in or for the verdict: dcmtk's storescu loads the series into Orthanc, Kafka's own
 * console producer sends the request, and dicom3tools' dciodvfy checks every derived object.
 */
@io.scanenhancer.StartsServices
class IndependentClientsTest {
    @TempDir
    Path temp;

    @Test
    void storescuConsoleProducerAndDciodvfy() throws Exception {
        LocalStack stack = SharedStack.get();
        SeriesFixture series = SeriesFixture.write(temp.resolve("in"), 3);
        List<String> storescu = new ArrayList<>(List.of("/usr/bin/storescu", "-aet", "STORESCU", "-aec",
                LocalOrthanc.AE_TITLE, "127.0.0.1", Integer.toString(stack.orthanc().dicomPort())));
        series.files().forEach(f -> storescu.add(f.toString()));
        assertEquals(0, run(storescu, null, temp.resolve("storescu.log")), "storescu exit status");

        Topics topics = new Topics("independent.requested", "independent.enhanced", "independent.dlq");
        try (Pipeline pipeline = Pipeline.start(stack.settings("independent", topics).withEnhancer(Enhancers.BICUBIC))) {
            String requestId = UUID.randomUUID().toString();
            String line = series.studyInstanceUid() + "|" + E2e.request(requestId, series.studyInstanceUid(),
                    LocalStack.DICOMWEB, LocalStack.DICOMWEB) + "\n";
            List<String> producer = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ConsoleProducer",
                    "--bootstrap-server", stack.broker().bootstrapServers(), "--topic", topics.requests(),
                    "--property", "parse.key=true", "--property", "key.separator=|");
            assertEquals(0, run(producer, line, temp.resolve("producer.log")), "console producer exit status");

            JsonNode result = E2e.awaitResult(stack.broker().bootstrapServers(), topics.results(), requestId);
            E2e.assertDerivedSeries(stack.orthanc(), series, result);

            String derived = result.path("series").get(0).path("derivedSeriesInstanceUid").asText();
            List<Path> objects = downloadSeries(stack.orthanc(), derived, temp.resolve("derived"));
            assertEquals(series.files().size(), objects.size());
            for (Path object : objects) {
                Path log = temp.resolve(object.getFileName() + ".dciodvfy.txt");
                int status = run(List.of("/usr/bin/dciodvfy", object.toString()), null, log);
                String report = Files.readString(log);
                assertEquals(0, status, "dciodvfy found errors in " + object.getFileName() + ":\n" + report);
                assertFalse(report.lines().anyMatch(l -> l.startsWith("Error")), report);
            }
        }
    }

    private static List<Path> downloadSeries(LocalOrthanc orthanc, String seriesUid, Path folder) throws Exception {
        Files.createDirectories(folder);
        JsonNode lookup = E2e.JSON.readTree(orthanc.post("/tools/lookup", seriesUid.getBytes(StandardCharsets.US_ASCII)).body());
        assertTrue(lookup.size() == 1, "Orthanc knows the derived series");
        JsonNode instances = E2e.JSON.readTree(orthanc.get("/series/" + lookup.get(0).path("ID").asText() + "/instances").body());
        List<Path> files = new ArrayList<>();
        for (JsonNode instance : instances) {
            Path file = folder.resolve(instance.path("ID").asText() + ".dcm");
            Files.write(file, orthanc.getBytes("/instances/" + instance.path("ID").asText() + "/file"));
            files.add(file);
        }
        return files;
    }

    private static int run(List<String> command, String stdin, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish: " + Files.readString(log));
        }
        if (p.exitValue() != 0) {
            System.out.println(command.get(0) + " output:\n" + Files.readString(log));
        }
        return p.exitValue();
    }
}
