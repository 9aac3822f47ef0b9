package io.scanenhancer.it;

import io.scanenhancer.devservices.FreePorts;
import io.scanenhancer.devservices.LocalStack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code serve} as its own OS process: the packaged application (target/quarkus-app, as {@code ./enhancer serve}
 * runs it), configured through the environment, logging into target/test-logs where PhiInLogsIT reads it.
 */
final class ServiceProcess implements AutoCloseable {
    static final Path APP = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private final Process process;
    private final Path log;
    private final int httpPort;

    private ServiceProcess(Process process, Path log, int httpPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    static ServiceProcess start(LocalStack stack, String name, Map<String, String> settings) throws IOException {
        if (!Files.exists(APP)) {
            throw new IllegalStateException(APP + " missing: these tests run after 'mvn package' (failsafe, mvn verify)");
        }
        int httpPort = FreePorts.next();
        Path log = Files.createDirectories(PhiInLogsIT.SUBPROCESS_LOGS).resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-jar", APP.toString(), "serve"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.put("HTTP_PORT", Integer.toString(httpPort));
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.broker().bootstrapServers());
        env.put("ORTHANC_DICOMWEB_URL", stack.orthanc().dicomWebUrl());
        env.put("ORTHANC_USER", stack.orthanc().user());
        env.put("ORTHANC_PASSWORD", stack.orthanc().password()); // secrets through the environment, as in production
        env.put("ORTHANC_DICOM_PORT", Integer.toString(stack.orthanc().dicomPort()));
        env.put("ENHANCER_MODEL", "bicubic");
        settings.forEach((k, v) -> env.put(k.toUpperCase().replaceAll("[^A-Z0-9]", "_"), v));
        return new ServiceProcess(pb.start(), log, httpPort);
    }

    int httpPort() {
        return httpPort;
    }

    /** Waits until /q/health/ready answers 200; returns the milliseconds it took. */
    long awaitReady(Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        HttpClient http = HttpClient.newHttpClient();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("service exited with " + process.exitValue() + ": " + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("service not ready within " + timeout + ": " + tail());
    }

    /** Waits until the log holds a line containing {@code text}. */
    void awaitLogLine(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no log line with '" + text + "': " + tail());
    }

    /** SIGKILL: no shutdown hook, no commit, no goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM; returns the exit code. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("service did not exit within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    String tail() throws IOException {
        String s = Files.readString(log);
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
