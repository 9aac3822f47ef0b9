package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.ServeProcess;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.messaging.DeadLetterHeaders;
import io.scanenhancer.messaging.RequestDispatcher;
import io.scanenhancer.messaging.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 item 8: 200 mixed records (valid requests, their duplicates, malformed JSON, unknown studies, oversized
 * values, wrong types, one 10 MB value) in random order through the real broker into {@code serve} running as its own
 * process (bicubic, the real Orthanc). Its /q/health/ready and /q/health/live are asked every 250 ms for the whole
 * run and must answer 200 UP every time; the counts come from the topics and the PACS.
 */
class HostileLoadDlqIT {
    static final int VALID = 12;
    static final int SLICES = 2;
    static final int TOTAL = 200;
    static final int TEN_MB = 10 * 1024 * 1024;
    static final Topics TOPICS = new Topics("load.requested", "load.enhanced", "load.dlq");

    @TempDir
    Path temp;

    /** One record to send and, for a bad one, the words its dead-letter reason must contain (null for a good one). */
    record Event(String kind, String key, byte[] value, String reason) {
    }

    @Test
    void twoHundredHostileAndValidEventsEachEndUpProcessedOnceOrDeadLetteredWhileHealthStaysUp() throws Exception {
        try (LocalStack stack = LocalStack.start()) {
            String web = LocalStack.DICOMWEB;
            List<SeriesFixture> fixtures = new ArrayList<>();
            for (int i = 0; i < VALID; i++) {
                SeriesFixture f = SeriesFixture.write(temp.resolve("s" + i), SLICES);
                E2e.uploadViaRest(stack.orthanc(), f.files());
                fixtures.add(f);
            }
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < VALID; i++) {
                byte[] v = E2e.request("load-valid-" + i, fixtures.get(i).studyInstanceUid(), web, web).getBytes(StandardCharsets.UTF_8);
                events.add(new Event("valid", fixtures.get(i).studyInstanceUid(), v, null));
                events.add(new Event("duplicate", fixtures.get(i).studyInstanceUid(), v, null));
            }
            String someStudy = fixtures.get(0).studyInstanceUid();
            events.add(new Event("10 MB value", "big", tenMegabyteRequest(someStudy, web),
                    "more than the " + RequestDispatcher.MAX_VALUE_BYTES + " bytes a request may have"));
            for (int i = 0; events.size() < TOTAL; i++) {
                events.add(bad(i, someStudy, web));
            }
            Collections.shuffle(events, new Random(9));

            String bootstrap = stack.broker().bootstrapServers();
            createLargeRequestTopic(bootstrap, TOPICS.requests());
            stack.broker().createTopics(TOPICS.results(), TOPICS.deadLetters());
            int before = stack.orthanc().instanceCount();
            Map<String, String> settings = Map.of("enhancer.topics.requests", TOPICS.requests(),
                    "enhancer.topics.results", TOPICS.results(), "enhancer.topics.dead-letters", TOPICS.deadLetters(),
                    "enhancer.consumer.group-id", "load");
            try (ServeProcess service = ServiceProcess.start(stack, "hostile-load", settings)) {
                service.awaitReady(Duration.ofMinutes(2));
                HealthProbe probe = HealthProbe.start(service.httpPort(), Duration.ofMillis(250));
                long start = System.nanoTime();
                Map<Long, Event> byOffset = publish(bootstrap, TOPICS.requests(), events);
                long expectedDead = events.stream().filter(e -> e.reason() != null).count();
                long deadline = start + TimeUnit.SECONDS.toNanos(180);
                List<ConsumerRecord<String, byte[]>> dead = List.of();
                List<ConsumerRecord<String, byte[]>> results = List.of();
                while (System.nanoTime() < deadline) {
                    dead = TopicReader.readAll(bootstrap, TOPICS.deadLetters());
                    results = TopicReader.readAll(bootstrap, TOPICS.results());
                    if (dead.size() >= expectedDead && successes(results) >= 2 * VALID) {
                        break;
                    }
                    Thread.sleep(500);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                E2e.awaitAllAnswered(bootstrap, "load", TOPICS.requests(), Duration.ofSeconds(30)); // nothing can be redone now
                probe.close();
                dead = TopicReader.readAll(bootstrap, TOPICS.deadLetters());
                results = TopicReader.readAll(bootstrap, TOPICS.results());

                assertTrue(probe.checks() > 0 && probe.failures().isEmpty(), "health UP at every one of " + probe.checks()
                        + " checks; not UP: " + probe.failures());
                assertEquals(2 * VALID, successes(results), "valid requests and their duplicates succeeded, once each");
                Map<String, Integer> deadByKind = checkDeadLetters(dead, byOffset, TOPICS);
                checkResultsAndPacs(stack, results, fixtures, deadByKind);
                assertEquals(before + VALID * SLICES, stack.orthanc().instanceCount(), "one derived series per valid study, nothing else");
                assertEquals(200, probe.lastStatus(), "still UP after the run");

                System.out.printf("hostile load through serve: %d events in %.1f s = %.1f events/s; succeeded %d (%d valid + %d "
                                + "duplicates), dead-lettered %d; by kind %s; /q/health/ready and /q/health/live asked %d times, "
                                + "UP every time, slowest answer %d ms%n",
                        TOTAL, seconds, TOTAL / seconds, successes(results), VALID, VALID, dead.size(),
                        new TreeMap<>(deadByKind), probe.checks(), probe.slowestMs());
            }
        }
    }

    private static long successes(List<ConsumerRecord<String, byte[]>> results) throws Exception {
        long n = 0;
        for (ConsumerRecord<String, byte[]> r : results) {
            if ("succeeded".equals(E2e.JSON.readTree(r.value()).path("status").asText())) {
                n++;
            }
        }
        return n;
    }

    private static Event bad(int i, String study, String web) {
        String id = "load-bad-" + i;
        return switch (i % 9) {
            case 0 -> new Event("malformed JSON", "k", utf8("{\"requestId\":\"" + id + "\",\"studyInstanceUid\":"), "not JSON");
            case 1 -> new Event("unknown study", "k", utf8(E2e.request(id, "1.2.826.0.1.3680043.2.1125.77" + i, web, web)),
                    "not found in PACS");
            case 2 -> new Event("300-char requestId", "k", utf8(E2e.request("r".repeat(300), study, web, web)),
                    "'requestId' is longer than 200 characters");
            case 3 -> {
                StringBuilder uids = new StringBuilder();
                for (int u = 0; u < 5000; u++) {
                    uids.append(u == 0 ? "" : ",").append("\"1.2.826.0.1.3680043.2.1125.").append(u).append('"');
                }
                yield new Event("huge seriesInstanceUids", "k", utf8(E2e.request(id, study, web, web)
                        .replace("\"scale\":2}", "\"scale\":2,\"seriesInstanceUids\":[" + uids + "]}")),
                        "'seriesInstanceUids' has 5000 entries, more than 1000");
            }
            case 4 -> new Event("wrong type: scale", "k", utf8(E2e.request(id, study, web, web).replace("\"scale\":2", "\"scale\":\"two\"")),
                    "'scale' must be an integer");
            case 5 -> new Event("wrong type: requestId", "k", utf8("{\"requestId\":" + i + ",\"studyInstanceUid\":\"" + study + "\"}"),
                    "'requestId' must be a string");
            case 6 -> new Event("wrong type: studyInstanceUid", "k", utf8(E2e.request(id, study, web, web)
                    .replace("\"" + study + "\"", "[\"" + study + "\"]")), "'studyInstanceUid' must be a string");
            case 7 -> new Event("not UTF-8", "k", new byte[]{'{', (byte) 0xff, (byte) 0xfe, '}'}, "not UTF-8");
            default -> new Event("not an object", "k", utf8("[\"" + id + "\"]"), "not a JSON object");
        };
    }

    /** Valid JSON and an otherwise valid request, made 10 MB by one long unknown field (unknown fields are ignored). */
    private static byte[] tenMegabyteRequest(String study, String web) {
        String head = E2e.request("load-big", study, web, web).replace("\"scale\":2}", "\"scale\":2,\"padding\":\"");
        return utf8(head + "x".repeat(TEN_MB - head.length() - 2) + "\"}");
    }

    /** The request topic takes up to 12 MB, as a deployment that accepts large values would; the DLQ keeps the default. */
    private static void createLargeRequestTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("max.message.bytes", Integer.toString(12 * 1024 * 1024))))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Map<Long, Event> publish(String bootstrap, String topic, List<Event> events) throws Exception {
        Map<Long, Event> byOffset = new HashMap<>();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 12 * 1024 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
            for (Event e : events) {
                sent.add(p.send(new ProducerRecord<>(topic, e.key(), e.value())));
            }
            for (int i = 0; i < sent.size(); i++) {
                byOffset.put(sent.get(i).get(60, TimeUnit.SECONDS).offset(), events.get(i));
            }
        }
        return byOffset;
    }

    /** Exactly the bad records are dead letters, each with its specific reason; returns counts by kind. */
    private static Map<String, Integer> checkDeadLetters(List<ConsumerRecord<String, byte[]>> dead, Map<Long, Event> byOffset,
                                                         Topics topics) {
        Map<String, Integer> byKind = new HashMap<>();
        for (ConsumerRecord<String, byte[]> letter : dead) {
            Event e = byOffset.get(Long.parseLong(header(letter, DeadLetterHeaders.ORIGINAL_OFFSET)));
            assertNotNull(e, "dead letter for a record that was sent");
            assertNotNull(e.reason(), e.kind() + " must not be dead-lettered: " + header(letter, DeadLetterHeaders.REASON));
            String reason = header(letter, DeadLetterHeaders.REASON);
            assertTrue(reason.contains(e.reason()), e.kind() + ": reason '" + reason + "' should say " + e.reason());
            assertNotNull(header(letter, DeadLetterHeaders.ERROR_CODE));
            assertEquals(topics.requests(), header(letter, DeadLetterHeaders.ORIGINAL_TOPIC));
            if (e.value().length > RequestDispatcher.MAX_VALUE_BYTES) {
                assertNull(letter.value(), "a value too large for the dead-letter topic is left out");
                assertEquals(TEN_MB + " bytes, too large for the dead-letter topic", header(letter, DeadLetterHeaders.VALUE_OMITTED));
            } else {
                assertEquals(new String(e.value(), StandardCharsets.ISO_8859_1),
                        new String(letter.value(), StandardCharsets.ISO_8859_1), "original value kept");
            }
            byKind.merge(e.kind(), 1, Integer::sum);
        }
        long expected = byOffset.values().stream().filter(e -> e.reason() != null).count();
        assertEquals(expected, dead.size(), "one dead letter per bad record, none twice");
        assertEquals(expected, byKind.values().stream().mapToInt(Integer::intValue).sum());
        return byKind;
    }

    /**
     * Each valid request and its duplicate give two success events: together they stored the series once, and the
     * later one found every instance already present. The PACS holds one derived series per valid study.
     */
    private static void checkResultsAndPacs(LocalStack stack, List<ConsumerRecord<String, byte[]>> results,
                                            List<SeriesFixture> fixtures, Map<String, Integer> deadByKind) throws Exception {
        Map<String, List<JsonNode>> successes = new HashMap<>();
        int failed = 0;
        for (ConsumerRecord<String, byte[]> r : results) {
            JsonNode n = E2e.JSON.readTree(r.value());
            if ("succeeded".equals(n.path("status").asText())) {
                successes.computeIfAbsent(n.path("requestId").asText(), k -> new ArrayList<>()).add(n);
            } else {
                failed++;
            }
        }
        assertEquals(deadByKind.getOrDefault("unknown study", 0), failed,
                "a failed result for each request that parsed and failed (the unknown studies), none for the others");
        assertEquals(VALID, successes.size(), "success events only for the valid requests: " + successes.keySet());
        for (int i = 0; i < VALID; i++) {
            SeriesFixture f = fixtures.get(i);
            List<JsonNode> events = successes.get("load-valid-" + i);
            assertNotNull(events, "load-valid-" + i);
            assertEquals(2, events.size(), "the request and its duplicate");
            assertEquals(SLICES, E2e.stored(events.get(0)) + E2e.stored(events.get(1)), "stored once between them");
            assertEquals(SLICES, E2e.alreadyPresent(events.get(1)), "the duplicate found every instance present");
            assertEquals(0, E2e.stored(events.get(1)), "the duplicate stored nothing new");
            E2e.assertDerivedSeries(stack.orthanc(), f, events.get(0));
            assertEquals(2, E2e.qidoSeries(stack.orthanc(), f.studyInstanceUid()).size(), "source + one derived series");
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
