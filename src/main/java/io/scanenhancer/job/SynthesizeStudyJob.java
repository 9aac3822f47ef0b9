package io.scanenhancer.job;

import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsException;
import io.scanenhancer.pacs.PacsRegistry;
import io.scanenhancer.pacs.UnknownPacsException;
import io.scanenhancer.dicom.DerivedObject;
import io.scanenhancer.synthesis.MemorisationAudit;
import io.scanenhancer.synthesis.Redraws;
import io.scanenhancer.synthesis.StudySpec;
import io.scanenhancer.synthesis.StudySynthesizer;

import java.util.List;
import java.util.Map;

import java.util.function.Supplier;

/**
 * The synthesize operation: synthesize the study asked for (every slice passed by the memorisation audit, redrawn
 * where it was not), store its images and its segmentation in the target PACS. The synthesizer is opened on the
 * first request (it takes seconds to load and most services never synthesize).
 */
public final class SynthesizeStudyJob implements AutoCloseable {
    /** Objects per STOW-RS request or C-STORE association, as an enhance job's default batch. */
    private static final int STORE_BATCH = EnhanceStudyJob.DEFAULT_BATCH_SIZE;
    private final PacsRegistry registry;
    private final Supplier<StudySynthesizer> opener;
    private StudySynthesizer synthesizer;
    private String unavailable;

    /** @param opener opens the synthesizer; may throw an unchecked exception, whose message is the reason given */
    public SynthesizeStudyJob(PacsRegistry registry, Supplier<StudySynthesizer> opener) {
        this.registry = registry;
        this.opener = opener;
    }

    /**
     * @param spacingMm null for the default
     * @param renderer  "diffusion", "labels" or "generator"; null for {@link StudySpec.Renderer#DEFAULT}
     */
    public record Command(String requestId, String targetPacs, int count, long seed, Double spacingMm, String renderer) {
        public Command(String requestId, String targetPacs, int count, long seed) {
            this(requestId, targetPacs, count, seed, null, null);
        }

        /** @throws IllegalArgumentException what cannot be honoured, with the reason */
        public StudySpec spec() {
            return new StudySpec(count, spacingMm, seed, renderer == null ? null : StudySpec.Renderer.of(renderer));
        }
    }

    /**
     * What was stored (stored: image instances sent now; generated - rejected - stored were in the target already),
     * and the audit's summary: generated counts every draw, rejected the draws the audit rejected, each of which was
     * redrawn, so generated - rejected = the slices asked for.
     *
     * @param segmentationSeriesInstanceUid the segmentation's series, null when the renderer makes no labels
     * @param segmentationStored            segmentation instances sent now (0 or 1)
     */
    public record Outcome(String requestId, String studyInstanceUid, String seriesInstanceUid, int generated, int stored,
                          int rejected, double closestDistance, double threshold, String modelId, String modelVersion,
                          String method, long synthesizeMs, long storeMs, int redrawBudget, String metric,
                          String segmentationSeriesInstanceUid, int segmentationStored) {
        /** Without redraw figures or segmentation (the generator path of older callers). */
        public Outcome(String requestId, String studyInstanceUid, String seriesInstanceUid, int generated, int stored, int rejected,
                       double closestDistance, double threshold, String modelId, String modelVersion, String method,
                       long synthesizeMs, long storeMs) {
            this(requestId, studyInstanceUid, seriesInstanceUid, generated, stored, rejected, closestDistance, threshold, modelId,
                    modelVersion, method, synthesizeMs, storeMs, Redraws.budget(generated - rejected), MemorisationAudit.METRIC, null, 0);
        }
    }

    public Outcome run(Command command) throws RejectedRequestException, PacsException {
        Pacs target;
        try {
            target = registry.get(command.targetPacs());
        } catch (UnknownPacsException e) {
            throw new RejectedRequestException(ErrorCode.UNKNOWN_PACS, e.getMessage(), e);
        }
        target.ping();
        StudySynthesizer s = synthesizer();
        StudySynthesizer.Result r;
        try {
            r = s.synthesize(command.spec());
        } catch (IllegalArgumentException e) {
            throw new RejectedRequestException(ErrorCode.INVALID_REQUEST, e.getMessage(), e);
        } catch (Redraws.Exhausted e) {
            throw new RejectedRequestException(ErrorCode.REDRAW_BUDGET_SPENT, e.getMessage(), e);
        }
        MemorisationAudit.Report audit = r.audit();
        long start = System.nanoTime();
        // the UIDs are functions of the request: a repeated request sends only what the target lacks, the same way
        // (and through the same code) as an enhance job's store
        DerivedObject seg = r.segmentation();
        int stored;
        int segmentationStored = 0;
        try (DerivedSpool spool = DerivedSpool.create()) {
            r.images().forEach(o -> spool.add(o, 1));
            if (seg != null) {
                spool.add(seg, 1);
            }
            Map<String, int[]> counts = spool.storeTo(target, r.studyInstanceUid(), STORE_BATCH, frames -> { });
            stored = counts.get(r.seriesInstanceUid())[0];
            if (seg != null) {
                segmentationStored = counts.get(seg.seriesInstanceUid())[0];
            }
        }
        long storeMs = (System.nanoTime() - start) / 1_000_000;
        int redrawn = r.redraws().size();
        return new Outcome(command.requestId(), r.studyInstanceUid(), r.seriesInstanceUid(), command.count() + redrawn, stored,
                redrawn, audit.closestDistance(), audit.threshold(), r.rendererId(), r.rendererVersion(), r.method(), r.millis(), storeMs,
                r.redrawBudget(), audit.metric(), seg == null ? null : seg.seriesInstanceUid(), segmentationStored);
    }

    private synchronized StudySynthesizer synthesizer() throws RejectedRequestException {
        if (synthesizer == null && unavailable == null) {
            try {
                synthesizer = opener.get();
            } catch (RuntimeException e) {
                unavailable = e.getMessage();
            }
        }
        if (synthesizer == null) {
            throw new RejectedRequestException(ErrorCode.SYNTHESIS_UNAVAILABLE, "the synthetic-study generator cannot be opened: " + unavailable);
        }
        return synthesizer;
    }

    @Override
    public synchronized void close() {
        if (synthesizer != null) {
            synthesizer.close();
        }
    }
}
