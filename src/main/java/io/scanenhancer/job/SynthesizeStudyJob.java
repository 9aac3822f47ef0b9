package io.scanenhancer.job;

import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsException;
import io.scanenhancer.pacs.PacsRegistry;
import io.scanenhancer.pacs.UnknownPacsException;
import io.scanenhancer.synthesis.MemorisationAudit;
import io.scanenhancer.synthesis.StudySynthesizer;

import java.util.function.Supplier;

/**
 * The synthesize operation: generate a study, audit it, store the slices that passed in the target PACS. The
 * synthesizer is opened on the first request (the models take seconds to load and most services never synthesize).
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

    public record Command(String requestId, String targetPacs, int count, long seed) {
    }

    /** What was stored (stored: sent now; generated - rejected - stored were in the target already), and the audit's summary. */
    public record Outcome(String requestId, String studyInstanceUid, String seriesInstanceUid, int generated, int stored,
                          int rejected, double closestDistance, double threshold, String modelId, String modelVersion,
                          String method, long synthesizeMs, long storeMs) {
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
        StudySynthesizer.Result r = s.synthesize(command.count(), command.seed());
        MemorisationAudit.Report audit = r.audit();
        if (r.objects().isEmpty()) {
            throw new RejectedRequestException(ErrorCode.ALL_SLICES_REJECTED, "the memorisation audit rejected all " + command.count()
                    + " slices (closest distance " + audit.closestDistance() + ", threshold " + audit.threshold() + "); try another seed");
        }
        long start = System.nanoTime();
        // the UIDs are functions of the request: a repeated request sends only what the target lacks, the same way
        // (and through the same code) as an enhance job's store
        int stored;
        try (DerivedSpool spool = DerivedSpool.create()) {
            r.objects().forEach(o -> spool.add(o, 1));
            stored = spool.storeTo(target, r.studyInstanceUid(), STORE_BATCH, frames -> { }).get(r.seriesInstanceUid())[0];
        }
        long storeMs = (System.nanoTime() - start) / 1_000_000;
        return new Outcome(command.requestId(), r.studyInstanceUid(), r.seriesInstanceUid(), command.count(), stored,
                audit.rejected(), audit.closestDistance(), audit.threshold(), s.generatorConfig().id(), s.generatorConfig().version(),
                r.stack().method(), r.millis(), storeMs);
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
