package io.scanenhancer.cli;

import io.scanenhancer.messaging.DeadLetterRedrive;
import io.scanenhancer.messaging.KafkaClients;
import io.scanenhancer.messaging.KafkaSettings;
import io.scanenhancer.messaging.Topics;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * {@code ./enhancer redrive [--reason CODES] [--from T] [--to T] [--request-id ID] [--force] [--dry-run]}: dead
 * letters sent back to the requests topic ({@link DeadLetterRedrive}), the same as {@code POST /dead-letters/redrive}.
 * Reaches the broker as {@code serve} does: KAFKA_BOOTSTRAP_SERVERS and the KAFKA_SECURITY_PROTOCOL, KAFKA_SSL_...,
 * KAFKA_SASL_... variables, or a properties file of those keys.
 */
public final class RedriveCommand {
    static final Args.Spec OPTIONS = Args.spec("redrive", "send dead-lettered requests again (permanent failures only with --force)")
            .text("bootstrap-servers", envOr("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"), "Kafka brokers")
            .text("kafka-config", null, "properties file with security.protocol, ssl.*, sasl.* (default: KAFKA_* variables)")
            .text("reason", null, "error codes to send again, comma-separated (e.g. pacs-unavailable); default all")
            .text("from", null, "dead-lettered at or after this ISO-8601 instant")
            .text("to", null, "dead-lettered before this ISO-8601 instant")
            .text("request-id", null, "only this request")
            .flag("force", "send permanent failures too (invalid-request, study-not-found, ...)")
            .flag("dry-run", "list what would be sent, send nothing")
            .text("requests-topic", Topics.REQUESTS, "where requests are sent again")
            .text("results-topic", Topics.RESULTS, "read to skip requests that have succeeded since")
            .text("dead-letter-topic", Topics.DEAD_LETTERS, "the dead letters");

    private RedriveCommand() {
    }

    public static int run(String[] argv) {
        return run(argv, System.out, System.err);
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        return OPTIONS.run(argv, out, err, args -> {
            KafkaSettings kafka = new KafkaSettings(args.get("bootstrap-servers"), security(args.get("kafka-config")));
            Topics topics = new Topics(args.get("requests-topic"), args.get("results-topic"), args.get("dead-letter-topic"));
            DeadLetterRedrive.Report report = new DeadLetterRedrive(new KafkaClients(kafka), KafkaClients.Factory.REAL, topics)
                    .redrive(filter(args));
            print(report, out);
            return 0;
        });
    }

    static DeadLetterRedrive.Filter filter(Args args) {
        Set<String> codes = new LinkedHashSet<>();
        if (args.get("reason") != null) {
            Arrays.stream(args.get("reason").split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(codes::add);
        }
        return new DeadLetterRedrive.Filter(codes, instant(args, "from"), instant(args, "to"), args.get("request-id"),
                args.flag("force"), args.flag("dry-run"));
    }

    static void print(DeadLetterRedrive.Report report, PrintStream out) {
        String verb = report.dryRun() ? "would republish" : "republished";
        for (DeadLetterRedrive.Letter l : report.republished()) {
            out.printf("%s %s request %s study %s (%s), redrive count %d%n", verb, l.deadLetter(), l.requestId(),
                    l.studyInstanceUid(), l.errorCode(), l.redriveCount());
        }
        for (DeadLetterRedrive.Letter l : report.refused()) {
            out.printf("refused %s request %s (%s): %s%n", l.deadLetter(), l.requestId(), l.errorCode(), l.refusal());
        }
        out.printf("%d %s, %d refused%n", report.republished().size(), verb, report.refused().size());
    }

    private static Instant instant(Args args, String name) {
        String v = args.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new Args.UsageException("--" + name + " must be an ISO-8601 instant such as 2024-05-01T08:00:00Z, not '" + v + "'");
        }
    }

    /** The security keys from the file, or else from KAFKA_* variables named as serve reads them. */
    private static Map<String, Object> security(String file) throws IOException {
        Map<String, Object> security = new HashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(file))) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> security.put(k, p.getProperty(k)));
            return security;
        }
        for (String key : KafkaSettings.SECURITY_KEYS) {
            String v = System.getenv("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'));
            if (v != null && !v.isBlank()) {
                security.put(key, v);
            }
        }
        return security;
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
