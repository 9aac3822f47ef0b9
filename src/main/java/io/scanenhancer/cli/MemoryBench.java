package io.scanenhancer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.devservices.LocalStack;
import io.scanenhancer.devservices.TopicReader;
import io.scanenhancer.enhance.BicubicEnhancer;
import io.scanenhancer.ingest.EventJson;
import io.scanenhancer.ingest.StudyRequestConsumer;
import io.scanenhancer.ingest.Topics;
import io.scanenhancer.volume.NiftiVolume;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.sun.management.GarbageCollectionNotificationInfo;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./enhancer bench --mode memory}: a 300-slice 512x512 16-bit series through the request consumer and the job
 * that {@code serve} runs (bicubic standing in for the model), in a child JVM with {@code -Xmx1g}, and the peak heap,
 * peak RSS and time of the study. The child holds the in-process broker too (as the tests' LocalStack does), so the
 * heap figure is an upper bound on what the service alone needs.
 */
final class MemoryBench {
    static final String HEAP = "1g";

    private MemoryBench() {
    }

    /** Re-launches this command in a JVM limited to 1 GiB of heap, unless this already is that JVM. */
    static int run(Args args) throws Exception {
        if (args.flag("child")) {
            return child(args.getInt("slices", 300), args.getInt("size", 512), Path.of(args.get("samples", "samples/mr-t1-colin27")));
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Xmx") && !a.startsWith("-XX:MaxRAM") && !a.startsWith("-agentlib")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx" + args.get("heap", HEAP)); // --heap 512m shows how much lower it still fits
        String cp = System.getProperty("java.class.path");
        if (cp.endsWith("quarkus-run.jar")) {
            // the fast-jar layout loads the application's classes through its own class loader: only -jar finds them
            cmd.addAll(List.of("-jar", cp));
        } else {
            cmd.addAll(List.of("-cp", cp, Main.class.getName()));
        }
        cmd.addAll(List.of("bench", "--mode", "memory", "--child", "--slices", Integer.toString(args.getInt("slices", 300)),
                "--size", Integer.toString(args.getInt("size", 512)), "--samples", args.get("samples", "samples/mr-t1-colin27")));
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }

    private static int child(int slices, int size, Path samples) throws Exception {
        try (LocalStack stack = LocalStack.start()) {
            String study = StudyBench.newUid();
            String series = StudyBench.newUid();
            upload(stack, study, series, slices, size, samples);

            Topics topics = new Topics("memory.requested", "memory.enhanced", "memory.dlq");
            System.gc();
            resetPeaks();
            AtomicLong sampledPeak = new AtomicLong();
            AtomicLong liveAfterGc = listenForLiveSet();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    sampledPeak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
            long gcBefore = gcCount();
            long gcTimeBefore = gcMillis();
            long start = System.nanoTime();
            JsonNode result;
            try (StudyRequestConsumer consumer = stack.startConsumer(new BicubicEnhancer(2), topics, "memory")) {
                String request = "{\"requestId\":\"memory-bench\",\"studyInstanceUid\":\"" + study + "\",\"sourcePacs\":\""
                        + LocalStack.DICOMWEB + "\",\"targetPacs\":\"" + LocalStack.DICOMWEB + "\",\"operation\":\"enhance\",\"scale\":2}";
                try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.broker().bootstrapServers(),
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                    p.send(new ProducerRecord<>(topics.requests(), study, request)).get();
                }
                result = EventJson.mapper().readTree(TopicReader.await(stack.broker().bootstrapServers(), topics.results(),
                        r -> true, Duration.ofMinutes(30)).orElseThrow(() -> new IllegalStateException("no result event")).value());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            sampler.interrupt();
            if (!"succeeded".equals(result.path("status").asText())) {
                System.err.println("bench: the study failed: " + result.path("errorCode").asText() + ": " + result.path("reason").asText());
                return 1;
            }
            JsonNode s = result.path("series").get(0);
            JsonNode t = result.path("timingsMs");
            System.out.printf("%nMemory: %d slices %dx%d 16-bit (%.0f MiB of pixels in, %.0f MiB out), bicubic x2, through the "
                            + "request consumer and EnhanceStudyJob, Orthanc over DICOMweb, batch %d%n%n",
                    slices, size, size, slices * size * size * 2 / 1048576.0, slices * 4.0 * size * size * 2 / 1048576.0,
                    io.scanenhancer.job.EnhanceStudyJob.DEFAULT_BATCH_SIZE);
            System.out.println("| max heap (-Xmx) | peak heap after GC (live set) | peak heap used (sampled every 10 ms) "
                    + "| GCs / GC time | peak RSS (VmHWM) | derived instances stored | time (request to result) | retrieve / enhance / store |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            System.out.printf("| %d MiB | %d MiB | %d MiB | %d / %.1f s | %s | %d | %.1f s | %.1f / %.1f / %.1f s |%n",
                    Runtime.getRuntime().maxMemory() >> 20, liveAfterGc.get() >> 20, sampledPeak.get() >> 20,
                    gcCount() - gcBefore, (gcMillis() - gcTimeBefore) / 1e3, vmHwm(), s.path("storedInstances").asInt(),
                    seconds, t.path("retrieve").asLong() / 1e3, t.path("enhance").asLong() / 1e3, t.path("store").asLong() / 1e3);
            return s.path("derivedInstances").asInt() == slices ? 0 : 1;
        }
    }

    /** One slice at a time, so the upload itself does not fill the heap before the study begins. */
    private static void upload(LocalStack stack, String study, String series, int slices, int size, Path samples) throws Exception {
        NiftiVolume v = NiftiVolume.read(Path.of(TrainCommand.DEFAULT_DATA));
        byte[] template = StudyBench.sampleFiles(samples).get(0);
        for (int n = 0; n < slices; n++) {
            var r = stack.orthanc().post("/instances", StudyBench.slice(v, template, study, series, n % v.nz(), n, size));
            if (r.statusCode() != 200) {
                throw new IllegalStateException("Orthanc refused a bench object: HTTP " + r.statusCode());
            }
        }
    }

    /** Peaks from here on measure the study alone; writing 5 to clear_refs resets VmHWM (Linux 4.0 and later). */
    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (Exception e) {
            System.err.println("bench: peak RSS not reset (" + e.getMessage() + "): it includes the setup");
        }
    }

    /**
     * Heap in use just after each collection, the largest seen: what the study really keeps alive. Heap used before a
     * collection only shows how far the collector let garbage pile up, which with -Xmx1g is most of the gigabyte.
     */
    private static AtomicLong listenForLiveSet() {
        AtomicLong max = new AtomicLong();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((javax.management.NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    var info = GarbageCollectionNotificationInfo.from((javax.management.openmbean.CompositeData) n.getUserData());
                    long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                            .filter(e -> isHeap(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
                    max.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
        return max;
    }

    private static boolean isHeap(String pool) {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .anyMatch(p -> p.getName().equals(pool) && p.getType() == MemoryType.HEAP);
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static String vmHwm() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                    .map(l -> l.substring(6).trim()).findFirst().orElse("n/a");
        } catch (Exception e) {
            return "n/a";
        }
    }
}
