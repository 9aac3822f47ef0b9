package io.scanenhancer.it;

import io.scanenhancer.harness.FreePorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft broker in its own JVM (the kafka_2.13 jars of the test class path), so a test can kill it and
 * start it again on the same ports and log folder. The in-process broker of the other tests cannot be killed.
 */
final class ExternalKafkaBroker implements AutoCloseable {
    private final Path folder;
    private final Path config;
    private final int port;
    private volatile Process process;

    private ExternalKafkaBroker(Path folder, Path config, int port) {
        this.folder = folder;
        this.config = config;
        this.port = port;
    }

    static ExternalKafkaBroker start(Path folder) throws Exception {
        Files.createDirectories(folder);
        int port = FreePorts.next();
        int controller = FreePorts.next();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", folder.resolve("logs").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        Path config = folder.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "broker for the restart tests");
        }
        ByteArrayOutputStream formatLog = new ByteArrayOutputStream();
        int rc = kafka.tools.StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString()}, new PrintStream(formatLog, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IOException("kafka storage format failed: " + formatLog.toString(StandardCharsets.UTF_8));
        }
        ExternalKafkaBroker broker = new ExternalKafkaBroker(folder, config, port);
        broker.launch();
        return broker;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The longest a (re)start may take: a restart after SIGKILL recovers its logs first, slowly on loaded CI cores. */
    static final Duration START_LIMIT = Duration.ofSeconds(150);

    /**
     * Starts the broker process and waits until it answers; returns the milliseconds that took. A process that exits
     * meanwhile is an error naming its exit code and log at once, not a wait until the limit.
     */
    long launch() throws Exception {
        long start = System.nanoTime();
        Path log = Files.createDirectories(PhiInLogsIT.SUBPROCESS_LOGS).resolve("kafka-" + port + ".log");
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "kafka.Kafka", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = start + START_LIMIT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException("the kafka broker exited with code " + process.exitValue() + " while starting; see " + log);
                }
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return (System.nanoTime() - start) / 1_000_000;
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("the kafka broker did not answer within " + START_LIMIT.toSeconds() + " s; see " + log, e);
                    }
                }
            }
        }
    }

    void createTopics(String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(java.util.Arrays.stream(names).map(n -> new NewTopic(n, 1, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM (controlled shutdown) or SIGKILL (crash). */
    void stop(boolean kill) throws InterruptedException {
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop(true);
        }
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    List<Path> folders() {
        return List.of(folder);
    }
}
