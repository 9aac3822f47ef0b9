package io.scanenhancer.service;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.LocalOrthanc;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Starts a real broker and Orthanc for the Quarkus service under test, loads the sample series into Orthanc and
 * points the service's configuration at them.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {
    static final Path SAMPLES = Path.of("samples", "mr-t1-colin27");
    private LocalStack stack;
    private ClosingServer deadPacs;

    @Override
    public Map<String, String> start() {
        try {
            stack = LocalStack.start();
            LocalOrthanc orthanc = stack.orthanc();
            List<Path> files;
            try (Stream<Path> s = Files.list(SAMPLES)) {
                files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
            }
            String studyId = null;
            for (Path f : files) {
                HttpResponse<String> r = orthanc.post("/instances", Files.readAllBytes(f));
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("Orthanc refused " + f + ": " + r.body());
                }
                studyId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("ParentStudy").asText();
            }
            String study = new com.fasterxml.jackson.databind.ObjectMapper().readTree(orthanc.get("/studies/" + studyId).body())
                    .path("MainDicomTags").path("StudyInstanceUID").asText();
            Map<String, String> config = new HashMap<>();
            config.put("kafka.bootstrap.servers", stack.broker().bootstrapServers());
            config.put("enhancer.pacs.orthanc.url", orthanc.dicomWebUrl());
            config.put("enhancer.pacs.orthanc.username", orthanc.user());
            config.put("enhancer.pacs.orthanc.password", orthanc.password());
            config.put("enhancer.pacs.orthanc-dimse.host", "127.0.0.1");
            config.put("enhancer.pacs.orthanc-dimse.port", Integer.toString(orthanc.dicomPort()));
            config.put("enhancer.pacs.orthanc-dimse.calling-ae-title", LocalStack.SERVICE_AE);
            config.put("enhancer.model.kind", "bicubic");
            config.put("enhancer.consumer.group-id", "serve-test");
            // a third PACS that drops every connection, for the retry test
            Path counter = Files.createTempFile("dead-pacs-connections", ".txt");
            deadPacs = new ClosingServer(counter);
            config.put("enhancer.pacs.dead.type", "dicomweb");
            config.put("enhancer.pacs.dead.url", "http://127.0.0.1:" + deadPacs.port() + "/dicom-web");
            config.put("enhancer.consumer.max-attempts", "2");
            config.put("enhancer.consumer.retry-backoff", "1s");
            config.put("test.dead-pacs-counter", counter.toString());
            config.put("test.study-uid", study);
            config.put("test.sample-count", Integer.toString(files.size()));
            return config;
        } catch (Exception e) {
            if (stack != null) {
                stack.close();
            }
            throw new IllegalStateException("cannot start the local stack", e);
        }
    }

    @Override
    public void stop() {
        if (deadPacs != null) {
            try {
                deadPacs.close();
            } catch (java.io.IOException ignored) {
                // the port is released with the JVM anyway
            }
        }
        if (stack != null) {
            stack.close();
        }
    }
}
