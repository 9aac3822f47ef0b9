package io.scanenhancer.harness.bench;

import io.scanenhancer.cli.Args;
import io.scanenhancer.training.SuperResolutionTraining;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.ServeProcess;
import io.scanenhancer.harness.TopicReader;
import io.scanenhancer.messaging.EventJson;
import io.scanenhancer.volume.NiftiVolume;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./enhancer bench --mode memory}: series of 512x512 16-bit slices (100, 300 and 600 by default) each through
 * {@code serve} as its own process with {@code -Xmx1g} (bicubic standing in for the model), Kafka request to result
 * event, real Orthanc over DICOMweb. Prints per series the peak heap used and the largest heap after a collection
 * (both from the service's GC log), the heap the service reports at /q/metrics (sampled), its peak RSS (VmHWM, reset
 * once it is ready) and the time. A flat memory profile shows as figures that do not grow with the slice count.
 */
final class MemoryBench {
    static final String HEAP = "1g";
    /** "GC(12) Pause Young (Normal) (G1 Evacuation Pause) 620M->210M(1024M) 4.2ms" */
    private static final Pattern GC_LINE = Pattern.compile("GC\\(\\d+\\) Pause .*? (\\d+)M->(\\d+)M\\((\\d+)M\\) ([\\d.]+)ms");
    private static final Pattern HEAP_USED = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.Ee+-]+)",
            Pattern.MULTILINE);

    private MemoryBench() {
    }

    record Row(int slices, long peakUsedMiB, long afterGcMiB, long scrapedPeakMiB, int gcs, double gcSeconds,
               long vmHwmKiB, int stored, double seconds, JsonNode timings, long budgetMiB) {
    }

    static int run(Args args) throws Exception {
        int size = args.getInt("size", 512);
        String heap = args.get("heap", HEAP);
        Path samples = Path.of(args.get("samples", "samples/mr-t1-colin27"));
        int[] counts = Arrays.stream(args.get("slices", "100,300,600").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        Case c = new Case(args.given("uncertainty") ? args.getInt("uncertainty") : 0, args.get("memory-budget"),
                args.getInt("study-batch"));
        Path logs = Files.createDirectories(Path.of("target", "bench-memory"));
        List<Row> rows = new ArrayList<>();
        try (LocalStack stack = LocalStack.start()) {
            for (int slices : counts) {
                System.out.printf("bench: %d slices of %dx%d through serve with -Xmx%s ...%n", slices, size, size, heap);
                Row row = one(stack, slices, size, heap, samples, logs, c);
                if (row == null) {
                    return 1;
                }
                rows.add(row);
            }
        }
        System.out.printf("%nMemory: series of %dx%d 16-bit slices, %s, each through serve (its own process, "
                + "-Xmx%s), Kafka request to result event, Orthanc over DICOMweb, batch %d%n%n", size, size,
                c.uncertainty() > 0 ? "diffusion x2 with uncertainty " + c.uncertainty() : "bicubic x2", heap, c.batch());
        System.out.println("| slices | MiB in / out | peak heap used | largest heap after GC | heap at /q/metrics (peak of "
                + "samples) | GCs / pause total | peak RSS (VmHWM) | derived stored | request to result | retrieve / enhance / store |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            double in = r.slices * (double) size * size * 2 / 1048576.0;
            JsonNode t = r.timings;
            System.out.printf("| %d | %.0f / %.0f | %d MiB | %d MiB | %d MiB | %d / %.2f s | %d MiB | %d | %.1f s | %.1f / %.1f / %.1f s |%n",
                    r.slices, in, 4 * in, r.peakUsedMiB, r.afterGcMiB, r.scrapedPeakMiB, r.gcs, r.gcSeconds, r.vmHwmKiB >> 10,
                    r.stored, r.seconds, t.path("retrieve").asLong() / 1e3, t.path("enhance").asLong() / 1e3,
                    t.path("store").asLong() / 1e3);
        }
        for (Row r : rows) {
            if (r.budgetMiB > 0) {
                // the budget bounds native memory; the heap comes on top, up to -Xmx
                long heapMaxMiB = parseMiB(heap);
                System.out.printf("%d slices: peak RSS %d MiB against the enhancer's memory budget %d MiB + heap max %d MiB "
                                + "= %d MiB: %s (%.0f %% of it)%n", r.slices, r.vmHwmKiB >> 10, r.budgetMiB, heapMaxMiB,
                        r.budgetMiB + heapMaxMiB, (r.vmHwmKiB >> 10) <= r.budgetMiB + heapMaxMiB ? "within" : "OVER",
                        100.0 * (r.vmHwmKiB >> 10) / (r.budgetMiB + heapMaxMiB));
            }
        }
        Row first = rows.get(0);
        Row last = rows.get(rows.size() - 1);
        if (rows.size() > 1) {
            System.out.printf("%n%dx the slices: peak heap used x%.2f, heap after GC x%.2f, peak RSS x%.2f%n",
                    last.slices / first.slices, (double) last.peakUsedMiB / first.peakUsedMiB,
                    (double) last.afterGcMiB / first.afterGcMiB, (double) last.vmHwmKiB / first.vmHwmKiB);
        }
        return 0;
    }

    /** What each request asks: posterior samples (0: bicubic, no uncertainty), the service's budget, the batch. */
    record Case(int uncertainty, String memoryBudget, int batch) {
        Map<String, String> settings() {
            Map<String, String> s = new java.util.HashMap<>();
            if (uncertainty > 0) {
                s.put("enhancer.model", "diffusion");
            }
            if (memoryBudget != null) {
                s.put("enhancer.memory.budget", memoryBudget);
            }
            return s;
        }

        String requestFields() {
            return ",\"batchSize\":" + batch + (uncertainty > 0 ? ",\"uncertainty\":" + uncertainty : "");
        }
    }

    private static final Pattern BUDGET_LINE = Pattern.compile("diffusion enhancer memory budget: (\\d+) MiB");

    static long parseMiB(String size) {
        long n = Long.parseLong(size.replaceAll("[^0-9]", ""));
        char unit = Character.toLowerCase(size.charAt(size.length() - 1));
        return unit == 'g' ? n << 10 : unit == 'k' ? n >> 10 : unit == 'm' ? n : n >> 20;
    }

    private static Row one(LocalStack stack, int slices, int size, String heap, Path samples, Path logs, Case c) throws Exception {
        String study = StudyBench.newUid();
        upload(stack, study, StudyBench.newUid(), slices, size, samples);
        String tag = "memory-" + slices;
        String requests = tag + ".requested";
        String results = tag + ".enhanced";
        stack.broker().createTopics(requests, results, tag + ".dlq");
        Path gcLog = logs.resolve(tag + "-gc.log");
        Files.deleteIfExists(gcLog);
        Map<String, String> settings = new java.util.HashMap<>(Map.of("enhancer.topics.requests", requests,
                "enhancer.topics.results", results, "enhancer.topics.dead-letters", tag + ".dlq", "enhancer.consumer.group-id", tag));
        settings.putAll(c.settings());
        try (ServeProcess serve = ServeProcess.start(stack, logs.resolve(tag + ".log"),
                List.of("-Xmx" + heap, "-Xlog:gc:file=" + gcLog), settings)) {
            serve.awaitReady(Duration.ofMinutes(2));
            int gcLinesBefore = Files.readAllLines(gcLog).size();
            // peaks from here on are the study's: writing 5 to clear_refs resets VmHWM (Linux 4.0 and later)
            Files.writeString(Path.of("/proc", Long.toString(serve.pid()), "clear_refs"), "5");
            AtomicLong scrapedPeak = new AtomicLong();
            Thread scraper = new Thread(() -> scrape(serve, scrapedPeak), "metrics-scraper");
            scraper.setDaemon(true);
            scraper.start();
            long start = System.nanoTime();
            String request = "{\"requestId\":\"" + tag + "\",\"studyInstanceUid\":\"" + study + "\",\"sourcePacs\":\""
                    + LocalStack.DICOMWEB + "\",\"targetPacs\":\"" + LocalStack.DICOMWEB + "\",\"operation\":\"enhance\",\"scale\":2" + c.requestFields() + "}";
            try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.broker().bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                p.send(new ProducerRecord<>(requests, study, request)).get();
            }
            // in windows of 10 s, so that a service whose consumer died (out of heap, say: liveness goes DOWN) or
            // that exited ends the wait
            java.util.Optional<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> event = java.util.Optional.empty();
            long deadline = System.nanoTime() + Duration.ofMinutes(120).toNanos(); // the diffusion model with uncertainty 8 takes about half an hour for 64 slices of 512x512 on 2 cores
            while (event.isEmpty() && live(serve) && System.nanoTime() < deadline) {
                event = TopicReader.await(stack.broker().bootstrapServers(), results,
                        r -> true, Duration.ofSeconds(10)); // progress events go to a topic of their own
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long vmHwm = vmHwmKiB(serve.pid());
            scraper.interrupt();
            if (event.isEmpty()) {
                System.err.println("bench: no result for " + slices + " slices with -Xmx" + heap + " (the service "
                        + (serve.isAlive() ? "runs, liveness " + (live(serve) ? "UP" : "DOWN") : "exited") + "); its log: "
                        + serve.tail());
                return null;
            }
            JsonNode result = EventJson.mapper().readTree(event.get().value());
            if (!"succeeded".equals(result.path("status").asText())) {
                System.err.println("bench: the study failed: " + result.path("errorCode").asText() + ": " + result.path("reason").asText());
                return null;
            }
            Matcher budget = BUDGET_LINE.matcher(serve.log());
            long budgetMiB = budget.find() ? Long.parseLong(budget.group(1)) : 0;
            serve.terminate(Duration.ofSeconds(30));
            long peak = 0;
            long after = 0;
            int gcs = 0;
            double pause = 0;
            List<String> lines = Files.readAllLines(gcLog);
            for (String line : lines.subList(Math.min(gcLinesBefore, lines.size()), lines.size())) {
                Matcher m = GC_LINE.matcher(line);
                if (m.find()) {
                    peak = Math.max(peak, Long.parseLong(m.group(1)));
                    after = Math.max(after, Long.parseLong(m.group(2)));
                    gcs++;
                    pause += Double.parseDouble(m.group(4)) / 1e3;
                }
            }
            JsonNode s = result.path("series").get(0);
            if (s.path("derivedInstances").asInt() != slices) {
                System.err.println("bench: " + s.path("derivedInstances").asInt() + " derived instances for " + slices + " slices");
                return null;
            }
            return new Row(slices, peak, after, scrapedPeak.get() >> 20, gcs, pause, vmHwm,
                    s.path("storedInstances").asInt(), seconds, result.path("timingsMs"), budgetMiB);
        }
    }

    private static boolean live(ServeProcess serve) {
        try {
            return serve.isAlive() && serve.get(HttpClient.newHttpClient(), "/q/health/live").statusCode() == 200;
        } catch (Exception e) {
            return serve.isAlive(); // busy: the next window asks again
        }
    }

    /** Heap in use as the service itself reports it (Micrometer's JVM binder), every 200 ms. */
    private static void scrape(ServeProcess serve, AtomicLong peak) {
        HttpClient http = HttpClient.newHttpClient();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Matcher m = HEAP_USED.matcher(serve.get(http, "/q/metrics").body());
                double used = 0;
                while (m.find()) {
                    used += Double.parseDouble(m.group(1));
                }
                peak.accumulateAndGet((long) used, Math::max);
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the service is busy or gone: the GC log still has the figures
            }
        }
    }

    /** One slice at a time, so the bench's own heap stays small too. */
    private static void upload(LocalStack stack, String study, String series, int slices, int size, Path samples) throws Exception {
        NiftiVolume v = NiftiVolume.read(Path.of(SuperResolutionTraining.DEFAULT_DATA));
        byte[] template = StudyBench.sampleFiles(samples).get(0);
        for (int n = 0; n < slices; n++) {
            var r = stack.orthanc().post("/instances", StudyBench.slice(v, template, study, series, n % v.nz(), n, size));
            if (r.statusCode() != 200) {
                throw new IllegalStateException("Orthanc refused a bench object: HTTP " + r.statusCode());
            }
        }
    }

    private static long vmHwmKiB(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmHWM:")).map(l -> l.replaceAll("[^0-9]", ""))
                    .mapToLong(Long::parseLong).findFirst().orElse(-1);
        } catch (Exception e) {
            return -1;
        }
    }
}
