package io.scanenhancer.harness;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) inside this JVM, on loopback with free
 * ports and a temporary log folder that {@link #close()} removes. Built from the kafka_2.13 jar (same version as the
 * clients, from the Quarkus BOM): no ZooKeeper, no Docker.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private final Path folder;
    private final int port;
    private final int saslPort;
    private final KafkaRaftServer server;
    /** What this class's own admin client needs to reach {@link #bootstrapServers()} (empty for plaintext). */
    private final Map<String, Object> adminSecurity;

    private LocalKafkaBroker(Path folder, int port, int saslPort, KafkaRaftServer server, Map<String, Object> adminSecurity) {
        this.folder = folder;
        this.port = port;
        this.saslPort = saslPort;
        this.server = server;
        this.adminSecurity = adminSecurity;
    }

    /**
     * TLS material and SCRAM-SHA-512 users for {@link #startSecure}: the broker's key store (PKCS12, key and
     * certificate chain) and a trust store with the CA that signed it (the broker's own inter-broker client needs it).
     */
    public record Tls(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword,
                      Map<String, String> scramUsers) {
    }

    /** Held so the level settings stay (java.util.logging keeps loggers weakly). */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("kafka"), java.util.logging.Logger.getLogger("state.change.logger"),
            java.util.logging.Logger.getLogger("org.apache.kafka"));

    public static LocalKafkaBroker start() throws IOException {
        return start(null);
    }

    /**
     * A broker with no plaintext listener for clients: SSL on {@link #bootstrapServers()} and SASL_SSL with
     * SCRAM-SHA-512 on {@link #saslBootstrapServers()}; the users exist before the broker starts (written into the
     * metadata log by the storage format, as {@code kafka-storage format --add-scram} does).
     */
    public static LocalKafkaBroker startSecure(Tls tls) throws IOException {
        return start(tls);
    }

    private static LocalKafkaBroker start(Tls tls) throws IOException {
        // the broker's INFO lines would drown the service's own log in the demo and the tests
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        Path folder = Files.createTempDirectory("scanenhancer-kafka-");
        int port = FreePorts.next();
        int saslPort = tls == null ? -1 : FreePorts.next();
        int controllerPort = FreePorts.next();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        Map<String, Object> adminSecurity = Map.of();
        if (tls == null) {
            p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            String clients = "SSL://127.0.0.1:" + port + ",SASL_SSL://127.0.0.1:" + saslPort;
            p.put("listeners", clients + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", clients);
            // the broker's link to itself goes over TLS too, so no client-facing port is plain text; the controller
            // port stays plain and loopback-only, as in a single-node deployment with its own network
            p.put("inter.broker.listener.name", "SSL");
            p.put("listener.security.protocol.map", "SSL:SSL,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
            p.put("ssl.keystore.location", tls.keyStore().toString());
            p.put("ssl.keystore.password", tls.keyStorePassword());
            p.put("ssl.keystore.type", "PKCS12");
            p.put("ssl.truststore.location", tls.trustStore().toString());
            p.put("ssl.truststore.password", tls.trustStorePassword());
            p.put("ssl.truststore.type", "PKCS12");
            p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
            p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            adminSecurity = Map.of("security.protocol", "SSL",
                    "ssl.truststore.location", tls.trustStore().toString(),
                    "ssl.truststore.password", tls.trustStorePassword(), "ssl.truststore.type", "PKCS12");
        }
        p.put("log.dirs", folder.resolve("logs").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "true");
        Path config = folder.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "scan-enhancer local broker");
        }
        java.util.List<String> format = new java.util.ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString()));
        if (tls != null) {
            tls.scramUsers().forEach((user, password) -> {
                format.add("--add-scram");
                format.add("SCRAM-SHA-512=[name=" + user + ",password=" + password + "]");
            });
        }
        ByteArrayOutputStream formatLog = new ByteArrayOutputStream();
        int rc = kafka.tools.StorageTool.execute(format.toArray(String[]::new),
                new PrintStream(formatLog, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            Folders.deleteRecursively(folder);
            throw new IOException("kafka storage format failed: " + formatLog.toString(StandardCharsets.UTF_8));
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
        server.startup();
        LocalKafkaBroker broker = new LocalKafkaBroker(folder, port, saslPort, server, adminSecurity);
        broker.awaitReady();
        return broker;
    }

    /** The SASL_SSL (SCRAM-SHA-512) listener of a broker from {@link #startSecure}. */
    public String saslBootstrapServers() {
        if (saslPort < 0) {
            throw new IllegalStateException("a plaintext broker has no SASL_SSL listener");
        }
        return "127.0.0.1:" + saslPort;
    }

    private Map<String, Object> adminProperties() {
        Map<String, Object> p = new java.util.HashMap<>(adminSecurity);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return p;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Creates topics (1 partition) if they do not exist yet. */
    public void createTopics(String... names) {
        createTopics(1, names);
    }

    /** Topics of {@code partitions} partitions each (a consumer group of several replicas shares them out). */
    public void createTopics(int partitions, String... names) {
        try (Admin admin = Admin.create(adminProperties())) {
            for (String name : names) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name, e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("topic creation timed out", e);
        }
    }

    private void awaitReady() {
        try (Admin admin = Admin.create(adminProperties())) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("kafka broker did not become ready", e);
        }
    }

    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            Folders.deleteRecursively(folder);
        }
    }
}
