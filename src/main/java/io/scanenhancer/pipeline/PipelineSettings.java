package io.scanenhancer.pipeline;

import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.job.EnhanceStudyJob;
import io.scanenhancer.messaging.ConsumerSettings;
import io.scanenhancer.messaging.KafkaSettings;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pacs.PacsRetryPolicy;
import io.scanenhancer.pacs.PacsSettings;
import io.scanenhancer.synthesis.StudySynthesizer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link Pipeline} needs, as plain values. {@code serve} maps its configuration here
 * (io.scanenhancer.config.PipelineSettingsFactory); the demo and the tests start from {@link #defaults} (the shipped
 * configuration, checked by a test to agree with application.properties) and change only what they must.
 *
 * @param instanceId static group membership (Kafka group.instance.id), or null
 * @param pacs       the PACS requests may name
 * @param uidRoot    root for derived UIDs, or null for 2.25 UUID-derived UIDs
 */
public record PipelineSettings(KafkaSettings kafka, String groupId, String instanceId, Topics topics,
                               ConsumerSettings consumer, List<PacsSettings> pacs, PacsRetryPolicy pacsRetry,
                               Model model, String uidRoot, Synthesis synthesis) {
    public static final String GROUP_ID = "scan-enhancer";

    /**
     * @param kind              diffusion or bicubic
     * @param dir               the model folder, or null for {@link Enhancers#defaultModelDir()}
     * @param fallBackToBicubic open bicubic (and say why) when the model cannot be opened
     * @param batchSize         slices per enhancer call unless a request says
     * @param maxBatch          most images in one network call
     * @param memoryBudgetBytes native memory the diffusion enhancer may use; 0: derived from the memory limit
     */
    public record Model(String kind, Path dir, boolean fallBackToBicubic, int batchSize, int maxBatch, long memoryBudgetBytes) {
        public static Model defaults() {
            return new Model(Enhancers.DIFFUSION, null, true, EnhanceStudyJob.DEFAULT_BATCH_SIZE, 16, 0);
        }
    }

    /** The synthesize operation: generator, the training volume its memorisation audit compares with, the threshold. */
    public record Synthesis(Path modelDir, Path trainingData, double memorisationThreshold) {
        public static Synthesis defaults() {
            return new Synthesis(Path.of("models/mri-t1-axial-generator-v1"),
                    Path.of("/usr/share/mricron/templates/ch2.nii.gz"), StudySynthesizer.DEFAULT_THRESHOLD);
        }
    }

    public PipelineSettings {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(consumer, "consumer");
        pacs = List.copyOf(pacs);
        Objects.requireNonNull(pacsRetry, "pacsRetry");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(synthesis, "synthesis");
    }

    /** What {@code serve} runs with the shipped application.properties, reaching this broker and no PACS yet. */
    public static PipelineSettings defaults(KafkaSettings kafka) {
        return new PipelineSettings(kafka, GROUP_ID, null, Topics.defaults(), ConsumerSettings.defaults(), List.of(),
                PacsRetryPolicy.defaults(), Model.defaults(), null, Synthesis.defaults());
    }

    public PipelineSettings withGroup(String group) {
        return new PipelineSettings(kafka, group, instanceId, topics, consumer, pacs, pacsRetry, model, uidRoot, synthesis);
    }

    public PipelineSettings withInstanceId(String id) {
        return new PipelineSettings(kafka, groupId, id, topics, consumer, pacs, pacsRetry, model, uidRoot, synthesis);
    }

    public PipelineSettings withTopics(Topics t) {
        return new PipelineSettings(kafka, groupId, instanceId, t, consumer, pacs, pacsRetry, model, uidRoot, synthesis);
    }

    public PipelineSettings withConsumer(ConsumerSettings c) {
        return new PipelineSettings(kafka, groupId, instanceId, topics, c, pacs, pacsRetry, model, uidRoot, synthesis);
    }

    /** These attempts per request, the first back-off {@code backoff} (doubled per attempt, at most 16 x). */
    public PipelineSettings withAttempts(int attempts, Duration backoff) {
        return withConsumer(consumer.withAttempts(attempts, backoff));
    }

    public PipelineSettings withPacs(List<PacsSettings> p) {
        return new PipelineSettings(kafka, groupId, instanceId, topics, consumer, p, pacsRetry, model, uidRoot, synthesis);
    }

    public PipelineSettings withPacsRetry(PacsRetryPolicy policy) {
        return new PipelineSettings(kafka, groupId, instanceId, topics, consumer, pacs, policy, model, uidRoot, synthesis);
    }

    public PipelineSettings withModel(Model m) {
        return new PipelineSettings(kafka, groupId, instanceId, topics, consumer, pacs, pacsRetry, m, uidRoot, synthesis);
    }

    /** The enhancer of this kind (diffusion or bicubic) from its default folder. */
    public PipelineSettings withEnhancer(String kind) {
        return withModel(new Model(kind, model.dir(), model.fallBackToBicubic(), model.batchSize(), model.maxBatch(), model.memoryBudgetBytes()));
    }

    public PipelineSettings withBatchSize(int size) {
        return withModel(new Model(model.kind(), model.dir(), model.fallBackToBicubic(), size, model.maxBatch(), model.memoryBudgetBytes()));
    }

    public PipelineSettings withUidRoot(String root) {
        return new PipelineSettings(kafka, groupId, instanceId, topics, consumer, pacs, pacsRetry, model, root, synthesis);
    }

    public PipelineSettings withSynthesis(Synthesis s) {
        return new PipelineSettings(kafka, groupId, instanceId, topics, consumer, pacs, pacsRetry, model, uidRoot, s);
    }

    public PipelineSettings withKafka(KafkaSettings k) {
        return new PipelineSettings(k, groupId, instanceId, topics, consumer, pacs, pacsRetry, model, uidRoot, synthesis);
    }
}
