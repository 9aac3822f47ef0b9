package io.scanenhancer.harness;

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
 * {@code serve} as its own OS process: the packaged application (target/quarkus-app, as {@code ./enhancer serve} runs
 * it) against a {@link LocalStack}, configured through the environment as in production, its output in a log file.
 * The fault tests kill it; the memory bench measures it.
 */
public final class ServeProcess implements AutoCloseable {
    public static final Path APP = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private final Process process;
    private final Path log;
    private final int httpPort;
    /** Where this process's output starts in the log file, which earlier runs of the same name may have begun. */
    private final long logStart;

    private ServeProcess(Process process, Path log, int httpPort, long logStart) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.logStart = logStart;
    }

    /**
     * @param jvmOptions for instance {@code -Xmx1g}
     * @param settings   configuration keys (enhancer.topics.requests ...), passed as environment variables
     */
    public static ServeProcess start(LocalStack stack, Path log, List<String> jvmOptions, Map<String, String> settings)
            throws IOException {
        return start(stack, log, jvmOptions, settings, FreePorts.next());
    }

    /**
     * On a given HTTP port: the default static group member id is the host name and the HTTP port, so a process
     * started again on its port rejoins the group as the same member (the restart tests).
     */
    public static ServeProcess start(LocalStack stack, Path log, List<String> jvmOptions, Map<String, String> settings,
                                     int httpPort) throws IOException {
        if (!Files.exists(APP)) {
            throw new IllegalStateException(APP + " missing: build the application first (mvn package)");
        }
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dai.djl.offline=true", "-jar", APP.toString(), "serve"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.put("HTTP_PORT", Integer.toString(httpPort));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1"); // the packaged service listens on every interface; a test's only on loopback
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.broker().bootstrapServers());
        env.put("ORTHANC_DICOMWEB_URL", stack.orthanc().dicomWebUrl());
        env.put("ORTHANC_USER", stack.orthanc().user());
        env.put("ORTHANC_PASSWORD", stack.orthanc().password()); // secrets through the environment, as in production
        env.put("ORTHANC_DICOM_PORT", Integer.toString(stack.orthanc().dicomPort()));
        env.put("ENHANCER_MODEL", "bicubic");
        settings.forEach((k, v) -> env.put(k.toUpperCase().replaceAll("[^A-Z0-9]", "_"), v));
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        return new ServeProcess(pb.start(), log, httpPort, logStart);
    }

    public int httpPort() {
        return httpPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until /q/health/ready answers 200; returns the milliseconds it took. */
    public long awaitReady(Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        HttpClient http = HttpClient.newHttpClient();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited with " + process.exitValue() + ": " + tail());
            }
            try {
                if (get(http, "/q/health/ready").statusCode() == 200) {
                    if (!log().contains("Listening on: http://127.0.0.1:")) {
                        throw new IllegalStateException("the service listens beyond loopback: " + tail());
                    }
                    return (System.nanoTime() - start) / 1_000_000;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("service not ready within " + timeout + ": " + tail());
    }

    /** GET on the service's HTTP port. */
    public HttpResponse<String> get(HttpClient http, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the log holds a line containing {@code text}. */
    public void awaitLogLine(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (log().contains(text)) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no log line with '" + text + "': " + tail());
    }

    /** Waits up to {@code timeout} for the process to end by itself; its exit status, or empty while it runs. */
    public java.util.OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
    }

    /** SIGKILL: no shutdown hook, no commit, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM; returns the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("service did not exit within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    /** What this process has written to its log so far. */
    public String log() throws IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(log.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.max(0, f.length() - logStart)];
            f.seek(logStart);
            f.readFully(bytes);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public String tail() throws IOException {
        String s = log();
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
