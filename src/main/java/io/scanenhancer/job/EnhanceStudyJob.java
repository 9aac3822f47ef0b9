package io.scanenhancer.job;

import io.scanenhancer.dicom.Derivation;
import io.scanenhancer.dicom.DerivedImageWriter;
import io.scanenhancer.dicom.DerivedObject;
import io.scanenhancer.dicom.DerivedUids;
import io.scanenhancer.dicom.RefusedInputException;
import io.scanenhancer.dicom.SourceImage;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.enhance.EnhancedImage;
import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.enhance.FloatImage;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsException;
import io.scanenhancer.pacs.PacsRegistry;
import io.scanenhancer.pacs.SeriesRef;
import io.scanenhancer.pacs.UnknownPacsException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * retrieve -> SourceImage.read -> enhancer -> DerivedImageWriter.write -> store, for one study.
 *
 * <p>Per-study atomicity: every series of the request is retrieved, read and enhanced before anything is sent to the
 * target PACS, so a refused instance, an unknown series or an enhancer failure stores nothing. Storing itself is not
 * transactional (neither STOW-RS nor C-STORE is): if the target fails half-way the job fails, the offset is not
 * committed and the request is processed again; the derived UIDs are deterministic, so the second attempt sends the
 * same objects and the PACS ends up with one complete derived series, not two. Before each series is stored the
 * target is asked which of its derived instances it already holds, and only the missing ones are sent
 * ({@link StoreDecision}).
 */
public final class EnhanceStudyJob {
    private final PacsRegistry registry;
    private final Enhancer enhancer;
    private final String uidRoot;

    /** @param uidRoot root for derived UIDs, or null for the 2.25 (UUID-derived) form */
    public EnhanceStudyJob(PacsRegistry registry, Enhancer enhancer, String uidRoot) {
        this.registry = registry;
        this.enhancer = enhancer;
        this.uidRoot = uidRoot;
    }

    public Enhancer enhancer() {
        return enhancer;
    }

    public StudyOutcome run(EnhanceStudyCommand command) throws RejectedRequestException, PacsException {
        long start = System.nanoTime();
        Pacs source = lookup(command.sourcePacs());
        Pacs target = lookup(command.targetPacs());
        if (command.scale() != enhancer.scale()) {
            throw new RejectedRequestException("unsupported-scale", "scale " + command.scale() + " requested, the enhancer '"
                    + enhancer.modelId() + "' produces scale " + enhancer.scale());
        }

        target.ping(); // a target that is down now fails the attempt before minutes of enhancement, not after

        // method, out-of-distribution flag and note do not enter the derived UIDs; placeholders serve here
        List<String> seriesUids = seriesToEnhance(command, source, derivationFor(command, enhancer.modelId(), false, null));
        List<List<byte[]>> retrieved = new ArrayList<>();
        for (String seriesUid : seriesUids) {
            List<byte[]> objects = source.retrieve(command.studyInstanceUid(), seriesUid);
            if (objects.isEmpty()) {
                throw new RejectedRequestException("series-not-found", "series " + seriesUid + " of study "
                        + command.studyInstanceUid() + " not found in PACS '" + source.name() + "'");
            }
            retrieved.add(objects);
        }
        long retrievedAt = System.nanoTime();

        List<StudyOutcome.SeriesOutcome> seriesOutcomes = new ArrayList<>();
        List<List<DerivedObject>> toStore = new ArrayList<>();
        List<List<DerivedObject>> uncertaintyToStore = new ArrayList<>();
        Set<String> methods = new LinkedHashSet<>();
        boolean anyOutOfDistribution = false;
        for (int s = 0; s < seriesUids.size(); s++) {
            List<SourceImage> sources = read(retrieved.get(s));
            retrieved.set(s, null); // let the source bytes go before the next series
            String ownOutput = alreadyEnhanced(sources);
            if (ownOutput != null) {
                if (!command.seriesInstanceUids().isEmpty()) {
                    throw new RejectedRequestException("refused-input", ownOutput);
                }
                continue; // a whole-study request passes over what Scan Enhancer made earlier, with any settings
            }
            EnhancedSeries enhanced;
            try {
                enhanced = enhanceSeries(sources, command.settings(), command.scale());
            } catch (UncertaintyUnavailableException e) {
                throw new RejectedRequestException("uncertainty-unavailable", e.getMessage(), e);
            }
            toStore.add(enhanced.objects);
            uncertaintyToStore.add(enhanced.uncertainty);
            String uncertaintyUid = enhanced.uncertainty.isEmpty() ? null : enhanced.uncertainty.get(0).seriesInstanceUid();
            seriesOutcomes.add(new StudyOutcome.SeriesOutcome(seriesUids.get(s), enhanced.seriesInstanceUid,
                    enhanced.sourceCount, enhanced.objects.size()).withUncertainty(uncertaintyUid));
            methods.add(enhanced.derivation.method());
            anyOutOfDistribution |= enhanced.derivation.outOfDistribution();
        }
        if (seriesOutcomes.isEmpty()) {
            throw new RejectedRequestException("refused-input", "study " + command.studyInstanceUid()
                    + " holds only series derived by Scan Enhancer");
        }
        long enhancedAt = System.nanoTime();

        for (int s = 0; s < toStore.size(); s++) {
            StudyOutcome.SeriesOutcome series = seriesOutcomes.get(s);
            StoreDecision decision = StoreDecision.of(toStore.get(s),
                    target.storedInstanceUids(command.studyInstanceUid(), series.derivedSeriesInstanceUid()));
            target.store(decision.missingPart10());
            seriesOutcomes.set(s, series.afterStore(decision));
            if (!uncertaintyToStore.get(s).isEmpty()) {
                // the uncertainty series is stored after its derived series, and just as idempotently
                StoreDecision spread = StoreDecision.of(uncertaintyToStore.get(s),
                        target.storedInstanceUids(command.studyInstanceUid(), series.uncertaintySeriesInstanceUid()));
                target.store(spread.missingPart10());
            }
        }
        long stored = System.nanoTime();

        StageTimings timings = new StageTimings(ms(retrievedAt - start), ms(enhancedAt - retrievedAt), ms(stored - enhancedAt),
                ms(stored - start));
        return new StudyOutcome(command.requestId(), command.studyInstanceUid(), seriesOutcomes, enhancer.modelId(),
                enhancer.modelVersion(), String.join("; ", methods), anyOutOfDistribution, timings);
    }

    private Pacs lookup(String name) throws RejectedRequestException {
        try {
            return registry.get(name);
        } catch (UnknownPacsException e) {
            throw new RejectedRequestException("unknown-pacs", e.getMessage(), e);
        }
    }

    /**
     * A whole-study request enhances every series except those this very derivation already produced from another
     * series of the study: they are known by UID without retrieving them. Outputs made with other settings are
     * recognised after retrieval ({@link SourceImage#requireNotAlreadyEnhanced()}) and passed over too.
     */
    private static List<String> seriesToEnhance(EnhanceStudyCommand command, Pacs source, Derivation derivation)
            throws PacsException, RejectedRequestException {
        List<SeriesRef> found = source.findSeries(command.studyInstanceUid());
        if (found.isEmpty()) {
            throw new RejectedRequestException("study-not-found", "study " + command.studyInstanceUid()
                    + " not found in PACS '" + source.name() + "'");
        }
        if (command.seriesInstanceUids().isEmpty()) {
            Set<String> ownOutputs = new LinkedHashSet<>();
            found.forEach(s -> ownOutputs.add(DerivedUids.seriesUid(s.seriesInstanceUid(), derivation)));
            List<String> series = found.stream().map(SeriesRef::seriesInstanceUid).filter(uid -> !ownOutputs.contains(uid)).toList();
            if (series.isEmpty()) {
                throw new RejectedRequestException("refused-input", "study " + command.studyInstanceUid()
                        + " holds only series derived by Scan Enhancer");
            }
            return series;
        }
        Set<String> known = new LinkedHashSet<>(found.stream().map(SeriesRef::seriesInstanceUid).toList());
        for (String wanted : command.seriesInstanceUids()) {
            if (!known.contains(wanted)) {
                throw new RejectedRequestException("series-not-found", "series " + wanted + " is not part of study "
                        + command.studyInstanceUid() + " in PACS '" + source.name() + "'");
            }
        }
        return command.seriesInstanceUids();
    }

    /** @param uncertainty the posterior standard deviation series' objects; empty unless asked for */
    private record EnhancedSeries(String seriesInstanceUid, int sourceCount, List<DerivedObject> objects,
                                  List<DerivedObject> uncertainty, Derivation derivation) {
    }

    private static List<SourceImage> read(List<byte[]> part10Objects) throws RejectedRequestException {
        List<SourceImage> sources = new ArrayList<>();
        for (byte[] bytes : part10Objects) {
            try {
                sources.add(SourceImage.read(bytes));
            } catch (RefusedInputException e) {
                throw new RejectedRequestException("refused-input", e.reason(), e);
            }
        }
        return sources;
    }

    /** The refusal reason when any object of the series is Scan Enhancer's own output, else null. */
    private static String alreadyEnhanced(List<SourceImage> sources) {
        for (SourceImage source : sources) {
            try {
                source.requireNotAlreadyEnhanced();
            } catch (RefusedInputException e) {
                return e.reason();
            }
        }
        return null;
    }

    private EnhancedSeries enhanceSeries(List<SourceImage> sources, EnhanceSettings settings, int scale) {
        List<List<EnhancedImage>> outputs = new ArrayList<>();
        Set<String> methods = new LinkedHashSet<>();
        int frames = 0;
        int fellBack = 0;
        boolean outOfDistribution = false;
        for (SourceImage source : sources) {
            List<FloatImage> inputs = new ArrayList<>();
            for (int f = 0; f < source.frameCount(); f++) {
                inputs.add(source.frame(f));
            }
            List<EnhancedImage> out = enhancer.enhanceAll(inputs, settings);
            for (EnhancedImage image : out) {
                methods.add(image.method());
                outOfDistribution |= image.outOfDistribution();
                fellBack += image.fellBack() ? 1 : 0;
            }
            frames += out.size();
            outputs.add(out);
        }
        // one Derivation for the whole series, so that every instance gets the same derived Series Instance UID
        String note = fellBack == 0 ? null
                : fellBack + " of " + frames + " frames looked out of distribution and were interpolated (bicubic) instead";
        Derivation derivation = derivationFor(settings, scale, String.join("; ", methods), outOfDistribution, note);
        List<DerivedObject> derived = new ArrayList<>();
        List<DerivedObject> uncertainty = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            derived.add(DerivedImageWriter.write(sources.get(i), outputs.get(i), derivation));
        }
        if (settings.uncertainty() != null) {
            for (int i = 0; i < sources.size(); i++) {
                uncertainty.add(uncertaintyObject(sources.get(i), outputs.get(i), derivation, settings.uncertainty()));
            }
        }
        return new EnhancedSeries(derived.get(0).seriesInstanceUid(), sources.size(), derived, uncertainty, derivation);
    }

    private DerivedObject uncertaintyObject(SourceImage source, List<EnhancedImage> frames, Derivation derivation, int samples) {
        if (frames.stream().anyMatch(f -> f.uncertainty() == null)) {
            throw new UncertaintyUnavailableException(enhancer.modelId().equals("bicubic")
                    ? "an uncertainty series needs the diffusion model; this service runs bicubic interpolation"
                    : "the out-of-distribution guard replaced the model's output by bicubic interpolation for instance "
                    + source.sopInstanceUid() + ", which has no posterior spread");
        }
        try {
            return DerivedImageWriter.writeUncertainty(source, frames, derivation, samples);
        } catch (IllegalArgumentException e) {
            throw new UncertaintyUnavailableException(e.getMessage());
        }
    }

    /** An uncertainty series was asked for and cannot be made honestly for this input. */
    static final class UncertaintyUnavailableException extends RuntimeException {
        UncertaintyUnavailableException(String message) {
            super(message);
        }
    }

    private Derivation derivationFor(EnhanceStudyCommand command, String method, boolean outOfDistribution, String note) {
        return derivationFor(command.settings(), command.scale(), method, outOfDistribution, note);
    }

    private Derivation derivationFor(EnhanceSettings settings, int scale, String method, boolean outOfDistribution,
                                     String note) {
        return new Derivation(enhancer.modelId(), enhancer.modelVersion(), scale, method, parameters(settings, scale),
                outOfDistribution, note, uidRoot);
    }

    static String parameters(EnhanceSettings s, int scale) {
        StringBuilder b = new StringBuilder("scale=").append(scale);
        if (s.sampler() != null) {
            b.append(" sampler=").append(s.sampler());
        }
        if (s.steps() != null) {
            b.append(" steps=").append(s.steps());
        }
        if (s.samples() != null) {
            b.append(" samples=").append(s.samples());
        }
        if (s.seed() != null) {
            b.append(" seed=").append(s.seed());
        }
        if (s.strength() != null) {
            b.append(" strength=").append(s.strength());
        }
        if (s.uncertainty() != null && s.samples() == null) {
            b.append(" samples=").append(s.uncertainty()); // the derived series is their mean; the UIDs must say so
        }
        return b.toString();
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
