package io.scanenhancer.harness.bench;

import io.scanenhancer.cli.Args;
import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.ReplicaGroup;
import io.scanenhancer.harness.StudyCopies;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code ./enhancer bench --mode replicas}: studies per minute through 1 and then 3 {@code serve} processes in one
 * consumer group on a requests topic of 6 partitions, on this machine, and the same per CPU core, so a reader sees
 * the work spread over the group. Each run gets studies of its own (copies of the sample series under new UIDs), all
 * published at once once every replica is ready; the clock runs from the publish to the last result. Bicubic
 * enhancer, so the figure is the pipeline's (PACS round trips, Kafka transactions), not the model's.
 */
final class ReplicaBench {
    private ReplicaBench() {
    }

    static int run(Args args) throws Exception {
        int studies = args.getInt("replica-studies");
        int slices = args.getInt("replica-slices");
        List<Integer> counts = java.util.Arrays.stream(args.get("replicas").split(",")).map(String::trim)
                .map(Integer::parseInt).toList();
        Path samples = Path.of(args.get("samples"));
        Path work = Files.createDirectories(Path.of("target", "bench-replicas"));
        int cores = Runtime.getRuntime().availableProcessors();
        StringBuilder table = new StringBuilder("| replicas | studies | seconds | studies/min | studies/min per core | "
                + "finished per replica |\n|---|---|---|---|---|---|\n");
        try (LocalStack stack = LocalStack.start()) {
            for (int n : counts) {
                String prefix = "bench-r" + n;
                stack.broker().createTopics(6, prefix + ".requested");
                stack.broker().createTopics(prefix + ".enhanced", prefix + ".dlq", prefix + ".progress");
                List<StudyCopies.Study> copies = StudyCopies.write(samples, studies, slices, work.resolve(prefix));
                ReplicaGroup.upload(stack.orthanc(), copies);
                Map<String, String> settings = Map.of("enhancer.topics.requests", prefix + ".requested",
                        "enhancer.topics.results", prefix + ".enhanced", "enhancer.topics.dead-letters", prefix + ".dlq",
                        "enhancer.topics.progress", prefix + ".progress", "enhancer.consumer.group-id", prefix);
                try (ReplicaGroup group = ReplicaGroup.start(stack, n, settings,
                        i -> work.resolve(prefix + "-replica-" + i + ".log"), List.of("-Xmx512m"))) {
                    group.awaitReady(Duration.ofMinutes(3));
                    long start = System.nanoTime();
                    Map<String, StudyCopies.Study> requests = ReplicaGroup.publish(stack.broker().bootstrapServers(),
                            prefix + ".requested", copies, LocalStack.DICOMWEB);
                    ReplicaGroup.awaitResults(stack.broker().bootstrapServers(), prefix + ".enhanced", requests.keySet(),
                            Duration.ofMinutes(20));
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double perMinute = studies * 60 / seconds;
                    table.append(String.format("| %d | %d | %.1f | %.1f | %.1f | %s |%n", n, studies, seconds, perMinute,
                            perMinute / cores, group.doneCounts()));
                    System.out.printf("%d replica(s): %d studies in %.1f s%n", n, studies, seconds);
                }
            }
        }
        System.out.printf("%nreplicas: %d studies of %d slices (%s, bicubic), requests topic of 6 partitions, %d cores%n%n%s",
                studies, slices, samples, cores, table);
        return 0;
    }
}
