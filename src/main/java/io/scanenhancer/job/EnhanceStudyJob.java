package io.scanenhancer.job;

import io.scanenhancer.derivation.DerivationFactory;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.derivation.DerivedInstance;
import io.scanenhancer.derivation.UncertaintyUnavailableException;
import io.scanenhancer.dicom.Derivation;
import io.scanenhancer.enhance.MemoryBudgetExceededException;
import io.scanenhancer.dicom.DerivedUids;
import io.scanenhancer.dicom.RefusedInputException;
import io.scanenhancer.dicom.SourceImage;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsException;
import io.scanenhancer.pacs.PacsRegistry;
import io.scanenhancer.pacs.SeriesRef;
import io.scanenhancer.pacs.UnknownPacsException;
import io.scanenhancer.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * retrieve -> SourceImage.read -> enhancer -> {@link DerivationFactory#write} -> store, for one study, streamed in batches.
 *
 * <p>Frames from every series of the study go to the enhancer in batches of {@code batchSize}
 * ({@link SliceBatcher}), so the model sees full batches even for single-frame series; each derived object is
 * written as soon as its frames are enhanced and spooled to disk ({@link DerivedSpool}). A series is retrieved to
 * disk ({@link SourceSpool}) and its objects decoded one at a time as the batcher takes them: memory is bounded by one
 * batch, not by the series or the study.
 *
 * <p>Per-study atomicity: every series of the request is retrieved, read and enhanced before anything is sent to the
 * target PACS, so a refused instance, an unknown series or an enhancer failure stores nothing. Storing itself is not
 * transactional (neither STOW-RS nor C-STORE is): if the target fails half-way the job fails, the offset is not
 * committed and the request is processed again; the derived UIDs are deterministic, so the second attempt sends the
 * same objects and the PACS ends up with one complete derived series, not two.
 */
public final class EnhanceStudyJob {
    /** Slices per enhancer call when neither the configuration nor the request says. */
    public static final int DEFAULT_BATCH_SIZE = 8;

    private final PacsRegistry registry;
    private final Enhancer enhancer;
    private final String uidRoot;
    private final int batchSize;
    private final Tracing tracing;

    /** @param uidRoot root for derived UIDs, or null for the 2.25 (UUID-derived) form */
    public EnhanceStudyJob(PacsRegistry registry, Enhancer enhancer, String uidRoot) {
        this(registry, enhancer, uidRoot, DEFAULT_BATCH_SIZE);
    }

    /** @param batchSize slices per enhancer call unless a request says otherwise */
    public EnhanceStudyJob(PacsRegistry registry, Enhancer enhancer, String uidRoot, int batchSize) {
        this(registry, enhancer, uidRoot, batchSize, Tracing.off());
    }

    /** @param tracing makes the find / retrieve / enhance / store spans, children of the span current when run */
    public EnhanceStudyJob(PacsRegistry registry, Enhancer enhancer, String uidRoot, int batchSize, Tracing tracing) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        this.registry = registry;
        this.enhancer = enhancer;
        this.uidRoot = uidRoot;
        this.batchSize = batchSize;
        this.tracing = tracing;
    }

    public Enhancer enhancer() {
        return enhancer;
    }

    public int batchSize() {
        return batchSize;
    }

    public StudyOutcome run(EnhanceStudyCommand command) throws RejectedRequestException, PacsException {
        return run(command, JobProgress.Listener.NONE);
    }

    public StudyOutcome run(EnhanceStudyCommand command, JobProgress.Listener listener)
            throws RejectedRequestException, PacsException {
        long start = System.nanoTime();
        Pacs source = lookup(command.sourcePacs());
        Pacs target = lookup(command.targetPacs());
        if (command.scale() != enhancer.scale()) {
            throw new RejectedRequestException(ErrorCode.UNSUPPORTED_SCALE, "scale " + command.scale() + " requested, the enhancer '"
                    + enhancer.modelId() + "' produces scale " + enhancer.scale());
        }

        List<String> seriesUids;
        int[] listed;
        EnhanceSettings settings;
        DerivationFactory derivations;
        Span finding = stage("find", command, null);
        try (Scope ignored = finding.makeCurrent()) {
            target.ping(); // a target that is down now fails the attempt before minutes of enhancement, not after
            List<SeriesRef> found = findSeries(command, source);
            // the degradation enters the derived UIDs, so it is decided (by modality where the request did not say) first
            settings = command.settings().resolvedFor(modalities(command, found));
            derivations = new DerivationFactory(enhancer, settings, uidRoot);
            try {
                derivations.requireUncertaintyPossible();
            } catch (UncertaintyUnavailableException e) {
                throw new RejectedRequestException(ErrorCode.UNCERTAINTY_UNAVAILABLE, e.getMessage(), e);
            }
            seriesUids = seriesToEnhance(command, found, source, derivations.identity());
            listed = new int[seriesUids.size()];
            for (int s = 0; s < listed.length; s++) {
                listed[s] = source.findInstances(command.studyInstanceUid(), seriesUids.get(s)).size();
            }
        } catch (RejectedRequestException | PacsException | RuntimeException e) {
            mark(finding, e);
            throw e;
        } finally {
            finding.end();
        }
        ProgressCounter progress = new ProgressCounter(command.requestId(), listener, java.util.Arrays.stream(listed).sum());
        int batch = command.batchSize() != null ? command.batchSize() : batchSize;
        long retrieveNanos = System.nanoTime() - start;

        // a batch may hold slices of the series before: the last series' enhance span also covers the final batch
        Span enhancing = null;
        try (DerivedSpool spool = DerivedSpool.create(); SourceSpool sources = SourceSpool.create()) {
            SliceBatcher batcher = new SliceBatcher(enhancer, settings, batch, progress);
            List<SeriesState> series = new ArrayList<>();
            for (int s = 0; s < seriesUids.size(); s++) {
                enhancing = end(enhancing);
                long t = System.nanoTime();
                progress.retrieving();
                List<Path> files;
                Span retrieving = stage("retrieve", command, seriesUids.get(s));
                try (Scope ignored = retrieving.makeCurrent()) {
                    files = sources.retrieve(source, command.studyInstanceUid(), seriesUids.get(s));
                    retrieving.setAttribute("enhancer.instances", files.size());
                } catch (PacsException | RuntimeException e) {
                    mark(retrieving, e);
                    throw e;
                } finally {
                    retrieving.end();
                }
                retrieveNanos += System.nanoTime() - t;
                enhancing = stage("enhance", command, seriesUids.get(s));
                try (Scope ignored = enhancing.makeCurrent()) {
                    enhanceSeries(command, seriesUids.get(s), files, listed[s], source, progress, series,
                            taken -> batcher.add(taken.state(), taken.source(), done -> writeDerived(done, derivations, spool)));
                }
            }
            try (Scope ignored = enhancing == null ? Scope.noop() : enhancing.makeCurrent()) {
                batcher.finish();
            }
            enhancing = end(enhancing);
            if (series.isEmpty()) {
                throw new RejectedRequestException(ErrorCode.REFUSED_INPUT, "study " + command.studyInstanceUid()
                        + " holds only series derived by Scan Enhancer");
            }
            long enhancedAt = System.nanoTime();

            progress.storing();
            Map<String, int[]> storeCounts;
            Span storing = stage("store", command, null);
            try (Scope ignored = storing.makeCurrent()) {
                storeCounts = spool.storeTo(target, command.studyInstanceUid(), batch, progress::stored);
            } catch (PacsException | RuntimeException e) {
                mark(storing, e);
                throw e;
            } finally {
                storing.end();
            }
            long stored = System.nanoTime();

            Set<String> methods = new LinkedHashSet<>();
            series.forEach(st -> methods.addAll(st.methods));
            StageTimings timings = new StageTimings(ms(retrieveNanos), ms(enhancedAt - start - retrieveNanos),
                    ms(stored - enhancedAt), ms(stored - start), ms(batcher.modelNanos()));
            return new StudyOutcome(command.requestId(), command.studyInstanceUid(),
                    series.stream().map(st -> st.outcome(storeCounts, settings.degradationOrDefault().id())).toList(),
                    enhancer.modelId(), enhancer.modelVersion(),
                    String.join("; ", methods), series.stream().anyMatch(st -> st.outOfDistribution), timings);
        } catch (UncertaintyUnavailableException e) {
            RejectedRequestException r = new RejectedRequestException(ErrorCode.UNCERTAINTY_UNAVAILABLE, e.getMessage(), e);
            mark(enhancing, r);
            throw r;
        } catch (MemoryBudgetExceededException e) {
            // retrying cannot help: one image of this size does not fit the service's memory budget
            RejectedRequestException r = new RejectedRequestException(ErrorCode.REFUSED_INPUT, e.getMessage(), e);
            mark(enhancing, r);
            throw r;
        } catch (RejectedRequestException | RuntimeException e) {
            mark(enhancing, e);
            throw e;
        } finally {
            end(enhancing);
        }
    }

    /** One source image of a series, on its way to the batcher. */
    private record Taken(SeriesState state, SourceImage source) {
    }

    /**
     * Decodes the series' retrieved objects one at a time from disk and hands each to the batcher at once: what the heap
     * holds is one object plus one batch, whatever the size of the series. A whole-study request passes over a series
     * Scan Enhancer made earlier (with any settings).
     */
    private static void enhanceSeries(EnhanceStudyCommand command, String seriesUid, List<Path> files, int listed, Pacs source,
                                      ProgressCounter progress, List<SeriesState> series,
                                      java.util.function.Consumer<Taken> batcher) throws RejectedRequestException {
        if (files.isEmpty()) {
            throw new RejectedRequestException(ErrorCode.SERIES_NOT_FOUND, "series " + seriesUid + " of study "
                    + command.studyInstanceUid() + " not found in PACS '" + source.name() + "'");
        }
        SeriesState state = null;
        for (Path file : files) {
            SourceImage image = read(SourceSpool.take(file));
            String ownOutput = alreadyEnhanced(image);
            if (ownOutput != null && state == null) {
                if (!command.seriesInstanceUids().isEmpty()) {
                    throw new RejectedRequestException(ErrorCode.REFUSED_INPUT, ownOutput);
                }
                progress.retrieved(listed, listed);
                progress.skipped(listed);
                return;
            }
            if (ownOutput != null) {
                // source images and Scan Enhancer's output in one series: enhancing the rest would mix them
                throw new RejectedRequestException(ErrorCode.REFUSED_INPUT, "series " + seriesUid
                        + " mixes source images with Scan Enhancer's output: " + ownOutput);
            }
            if (state == null) {
                state = new SeriesState(seriesUid, files.size());
                series.add(state);
            }
            progress.retrieved(image.frameCount(), 1);
            batcher.accept(new Taken(state, image));
        }
    }

    /** A stage's span, child of the current one (the job's when the request came over Kafka). */
    private Span stage(String name, EnhanceStudyCommand command, String seriesUid) {
        Span span = tracing.start(name, SpanKind.INTERNAL).setAttribute(Tracing.JOB_ID, command.requestId())
                .setAttribute(Tracing.STUDY_UID, command.studyInstanceUid());
        return seriesUid == null ? span : span.setAttribute(Tracing.SERIES_UID, seriesUid);
    }

    /** Marks the span failed with the error's code or class, not its message: messages may quote the request. */
    private static void mark(Span span, Exception e) {
        if (span != null) {
            Tracing.failed(span, e instanceof RejectedRequestException r ? r.code().code() : e.getClass().getSimpleName());
        }
    }

    private static Span end(Span span) {
        if (span != null) {
            span.end();
        }
        return null;
    }

    /** What one series of the job has produced so far. */
    private static final class SeriesState {
        final String sourceSeriesUid;
        final int sourceCount;
        final Set<String> methods = new LinkedHashSet<>();
        String derivedSeriesUid;
        String uncertaintySeriesUid;
        int derivedCount;
        boolean outOfDistribution;

        SeriesState(String sourceSeriesUid, int sourceCount) {
            this.sourceSeriesUid = sourceSeriesUid;
            this.sourceCount = sourceCount;
        }

        /** @param storeCounts per derived series UID, {stored now, already present} */
        StudyOutcome.SeriesOutcome outcome(Map<String, int[]> storeCounts, String degradation) {
            int[] c = storeCounts.getOrDefault(derivedSeriesUid, new int[2]);
            return new StudyOutcome.SeriesOutcome(sourceSeriesUid, derivedSeriesUid, sourceCount, derivedCount, c[0], c[1],
                    uncertaintySeriesUid, degradation);
        }
    }

    /**
     * Each derived object records how its own frames were made (method, guard flag, fall-back note); the series UID is
     * shared all the same, because none of these enter the UIDs.
     */
    private static void writeDerived(SliceBatcher.Pending<SeriesState> done, DerivationFactory derivations, DerivedSpool spool) {
        DerivedInstance written = derivations.write(done.source, done.frames());
        spool.add(written.derived(), done.frames.length);
        SeriesState series = done.owner;
        if (written.uncertainty() != null) {
            // stored after the derived objects of its batch, just as idempotently; counted apart from them
            spool.add(written.uncertainty(), 0);
            series.uncertaintySeriesUid = written.uncertainty().seriesInstanceUid();
        }
        series.derivedSeriesUid = written.derived().seriesInstanceUid();
        series.derivedCount++;
        for (EnhancedImage frame : done.frames) {
            series.methods.add(frame.method());
        }
        series.outOfDistribution |= written.derivation().outOfDistribution();
    }

    private Pacs lookup(String name) throws RejectedRequestException {
        try {
            return registry.get(name);
        } catch (UnknownPacsException e) {
            throw new RejectedRequestException(ErrorCode.UNKNOWN_PACS, e.getMessage(), e);
        }
    }

    /**
     * A whole-study request enhances every series except those this very derivation already produced from another
     * series of the study: they are known by UID without retrieving them. Outputs made with other settings are
     * recognised after retrieval ({@link SourceImage#requireNotAlreadyEnhanced()}) and passed over too.
     */
    private static List<SeriesRef> findSeries(EnhanceStudyCommand command, Pacs source) throws PacsException, RejectedRequestException {
        List<SeriesRef> found = source.findSeries(command.studyInstanceUid());
        if (found.isEmpty()) {
            throw new RejectedRequestException(ErrorCode.STUDY_NOT_FOUND, "study " + command.studyInstanceUid()
                    + " not found in PACS '" + source.name() + "'");
        }
        return found;
    }

    /** Modalities of the series the request names, or of the whole study when it names none. */
    private static List<String> modalities(EnhanceStudyCommand command, List<SeriesRef> found) {
        return found.stream().filter(s -> command.seriesInstanceUids().isEmpty() || command.seriesInstanceUids().contains(s.seriesInstanceUid()))
                .map(SeriesRef::modality).toList();
    }

    private static List<String> seriesToEnhance(EnhanceStudyCommand command, List<SeriesRef> found, Pacs source, Derivation derivation)
            throws RejectedRequestException {
        if (command.seriesInstanceUids().isEmpty()) {
            Set<String> ownOutputs = new LinkedHashSet<>();
            found.forEach(s -> ownOutputs.add(DerivedUids.seriesUid(s.seriesInstanceUid(), derivation)));
            List<String> series = found.stream().map(SeriesRef::seriesInstanceUid).filter(uid -> !ownOutputs.contains(uid)).toList();
            if (series.isEmpty()) {
                throw new RejectedRequestException(ErrorCode.REFUSED_INPUT, "study " + command.studyInstanceUid()
                        + " holds only series derived by Scan Enhancer");
            }
            return series;
        }
        Set<String> known = new LinkedHashSet<>(found.stream().map(SeriesRef::seriesInstanceUid).toList());
        for (String wanted : command.seriesInstanceUids()) {
            if (!known.contains(wanted)) {
                throw new RejectedRequestException(ErrorCode.SERIES_NOT_FOUND, "series " + wanted + " is not part of study "
                        + command.studyInstanceUid() + " in PACS '" + source.name() + "'");
            }
        }
        return command.seriesInstanceUids();
    }

    private static SourceImage read(byte[] part10) throws RejectedRequestException {
        try {
            return SourceImage.read(part10);
        } catch (RefusedInputException e) {
            throw new RejectedRequestException(ErrorCode.REFUSED_INPUT, e.reason(), e);
        }
    }

    /** The refusal reason when the object is Scan Enhancer's own output, else null. */
    private static String alreadyEnhanced(SourceImage source) {
        try {
            source.requireNotAlreadyEnhanced();
            return null;
        } catch (RefusedInputException e) {
            return e.reason();
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
