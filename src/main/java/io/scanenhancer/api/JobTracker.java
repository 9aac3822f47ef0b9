package io.scanenhancer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Startup;
import io.scanenhancer.messaging.EventJson;
import io.scanenhancer.config.ServiceConfig;
import io.scanenhancer.service.EnhancerService;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Job status for the REST API, built from the progress and results topics rather than from this process's own
 * consumer: any replica answers for a job whichever replica runs it. Reads without a consumer group (every replica
 * sees every event), from {@code enhancer.api.jobs-lookback} ago at startup, and keeps the latest jobs in memory.
 */
@Startup
@ApplicationScoped
public class JobTracker {
    private static final Logger LOG = Logger.getLogger(JobTracker.class);
    private static final int MAX_JOBS = 10_000;

    @Inject
    ServiceConfig service;
    @Inject
    ApiConfig api;
    @Inject
    EnhancerService enhancer;

    private final ObjectMapper json = EventJson.mapper();
    private final Map<String, Job> jobs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Job> eldest) {
            return size() > MAX_JOBS;
        }
    };
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    private static final class Job {
        final String id;
        String study;
        String status = JobView.QUEUED;
        String submittedAt;
        String updatedAt;
        JsonNode progress;
        JsonNode result;

        Job(String id) {
            this.id = id;
        }
    }

    @PostConstruct
    void start() {
        thread = new Thread(this::loop, "job-tracker");
        thread.setDaemon(true);
        thread.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** A request this replica has just published: known as queued until its first event arrives. */
    public synchronized void accepted(String jobId, String study) {
        Job j = jobs.computeIfAbsent(jobId, Job::new);
        j.study = study;
        j.submittedAt = Instant.now().toString();
        j.updatedAt = j.submittedAt;
    }

    public synchronized Optional<JobView> find(String jobId) {
        Job j = jobs.get(jobId);
        return j == null ? Optional.empty() : Optional.of(view(j));
    }

    /** The result event of a finished job, if any. */
    public synchronized Optional<JsonNode> result(String jobId) {
        Job j = jobs.get(jobId);
        return j == null ? Optional.empty() : Optional.ofNullable(j.result);
    }

    private JobView view(Job j) {
        JobView.Progress progress = null;
        if (j.progress != null) {
            JsonNode p = j.progress;
            int total = p.path("total").asInt();
            progress = new JobView.Progress(p.path("stage").asText(), total,
                    new JobView.Stage(p.path("retrieved").asInt(), total), new JobView.Stage(p.path("enhanced").asInt(), total),
                    new JobView.Stage(p.path("stored").asInt(), total));
        }
        boolean succeeded = "succeeded".equals(j.status);
        return new JobView(j.id, j.study, j.status, j.submittedAt, j.updatedAt, progress, j.result,
                new JobView.Links("/jobs/" + j.id, succeeded ? "/jobs/" + j.id + "/preview.png" : null));
    }

    private synchronized void apply(ConsumerRecord<String, byte[]> r) {
        JsonNode event;
        try {
            event = json.readTree(r.value());
        } catch (Exception e) {
            return; // not ours to judge: the results topic's own consumers see the same record
        }
        String id = event.path("requestId").asText(null);
        if (id == null) {
            return;
        }
        Job j = jobs.computeIfAbsent(id, Job::new);
        if (j.study == null) {
            j.study = event.path("studyInstanceUid").asText(null);
        }
        j.updatedAt = Instant.ofEpochMilli(r.timestamp()).toString();
        if (r.topic().equals(service.topics().results())) {
            j.status = event.path("status").asText("failed");
            j.result = event;
        } else if (j.result == null) {
            j.status = JobView.RUNNING;
            j.progress = event;
        }
    }

    private void loop() {
        List<String> topics = List.of(service.topics().progress(), service.topics().results());
        // committed records only: results are published in transactions
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(enhancer.kafkaClients().committedReader())) {
            consumer = c;
            Set<TopicPartition> assigned = new HashSet<>();
            boolean first = true;
            long nextRefresh = 0;
            while (running) {
                if (System.nanoTime() >= nextRefresh) {
                    Set<TopicPartition> now = partitions(c, topics);
                    if (!now.equals(assigned)) {
                        Set<TopicPartition> added = new HashSet<>(now);
                        added.removeAll(assigned);
                        c.assign(now);
                        seek(c, added, first);
                        assigned = now;
                    }
                    first = false;
                    nextRefresh = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                c.poll(Duration.ofMillis(200)).forEach(this::apply);
            }
        } catch (WakeupException | InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("job tracker stopped; GET /jobs answers only for jobs seen so far", e);
        }
    }

    private static Set<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, List<String> topics) {
        Set<TopicPartition> out = new HashSet<>();
        for (String t : topics) {
            try {
                List<PartitionInfo> infos = c.partitionsFor(t, Duration.ofSeconds(2));
                if (infos != null) {
                    infos.forEach(i -> out.add(new TopicPartition(t, i.partition())));
                }
            } catch (RuntimeException e) {
                LOG.debugf("topic %s not available yet: %s", t, e.getMessage());
            }
        }
        return out;
    }

    /** At startup from the look-back window; partitions that appear later hold only new events: from the start. */
    private void seek(KafkaConsumer<String, byte[]> c, Set<TopicPartition> added, boolean startup) {
        if (added.isEmpty()) {
            return;
        }
        if (!startup) {
            c.seekToBeginning(added);
            return;
        }
        long since = Instant.now().minus(api.jobsLookback()).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        added.forEach(tp -> query.put(tp, since));
        Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query);
        for (TopicPartition tp : added) {
            OffsetAndTimestamp o = found.get(tp);
            if (o == null) {
                c.seekToEnd(List.of(tp));
            } else {
                c.seek(tp, o.offset());
            }
        }
    }
}
