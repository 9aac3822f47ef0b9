package io.scanenhancer.derivation;

import io.scanenhancer.dicom.Derivation;
import io.scanenhancer.dicom.DerivedImageWriter;
import io.scanenhancer.dicom.DerivedObject;
import io.scanenhancer.dicom.SourceImage;
import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.image.EnhancedImage;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one place where an enhancer's output for one source instance becomes derived objects: the {@link Derivation}
 * (and so the derived UIDs), the writer options, the out-of-distribution note and the uncertainty check.
 * {@code ./enhancer enhance} and the service's job both write through it, so the same input and settings give the
 * same bytes either way; two derivation strings once gave the CLI and the service different UIDs for one output.
 */
public final class DerivationFactory {
    private final Enhancer enhancer;
    private final EnhanceSettings settings;
    private final String uidRoot;
    private final int seriesNumberOffset;

    /** @param uidRoot root for derived UIDs, or null for the 2.25 (UUID-derived) form */
    public DerivationFactory(Enhancer enhancer, EnhanceSettings settings, String uidRoot) {
        this(enhancer, settings, uidRoot, DerivedImageWriter.Options.defaults().seriesNumberOffset());
    }

    /** @param seriesNumberOffset added to the source's Series Number (see {@link DerivedImageWriter.Options}) */
    public DerivationFactory(Enhancer enhancer, EnhanceSettings settings, String uidRoot, int seriesNumberOffset) {
        this.enhancer = enhancer;
        this.settings = settings;
        this.uidRoot = uidRoot;
        this.seriesNumberOffset = seriesNumberOffset;
    }

    /**
     * What names the derived series and instances before anything is enhanced: method, out-of-distribution flag and
     * note do not enter the UIDs, so placeholders serve for them.
     */
    public Derivation identity() {
        return new Derivation(enhancer.modelId(), enhancer.modelVersion(), enhancer.scale(), enhancer.modelId(),
                parameters(settings, enhancer.scale()), false, null, uidRoot);
    }

    /**
     * How the frames of one instance were made: the methods they report, the guard's flag and, where it flagged or
     * replaced frames, a note with its score. The UIDs are those of {@link #identity()}.
     */
    public Derivation derivation(List<EnhancedImage> frames) {
        Set<String> methods = new LinkedHashSet<>();
        boolean outOfDistribution = false;
        for (EnhancedImage frame : frames) {
            methods.add(frame.method());
            outOfDistribution |= frame.outOfDistribution();
        }
        String method = methods.isEmpty() ? enhancer.modelId() : String.join("; ", methods);
        return new Derivation(enhancer.modelId(), enhancer.modelVersion(), enhancer.scale(), method,
                parameters(settings, enhancer.scale()), outOfDistribution, fallBackNote(frames, settings.degradationOrDefault()), uidRoot);
    }

    /** Series Number offset, the enhancer's settings label for the Series Description, and the samples averaged. */
    public DerivedImageWriter.Options options() {
        Integer samples = settings.samplesAsked();
        return new DerivedImageWriter.Options(seriesNumberOffset, enhancer.settingsLabel(settings), samples == null ? 1 : samples,
                enhancer.spreadFactor(settings.degradationOrDefault()), enhancer.spreadMethod(settings.degradationOrDefault()));
    }

    /**
     * The derived object of one source instance, and its uncertainty object when the settings ask for one.
     *
     * @throws UncertaintyUnavailableException an uncertainty object was asked for and this input has no honest one
     */
    public DerivedInstance write(SourceImage source, List<EnhancedImage> frames) {
        requireUncertaintyPossible();
        Derivation derivation = derivation(frames);
        DerivedImageWriter.Options options = options();
        DerivedObject derived = DerivedImageWriter.write(source, frames, derivation, options);
        if (settings.uncertainty() == null) {
            return new DerivedInstance(derivation, derived, null);
        }
        if (frames.stream().anyMatch(f -> f.uncertainty() == null)) {
            throw new UncertaintyUnavailableException(enhancer.modelId().equals("bicubic")
                    ? "an uncertainty series needs the diffusion model; bicubic interpolation has no posterior spread"
                    : "the out-of-distribution guard replaced the model's output by bicubic interpolation for instance "
                    + source.sopInstanceUid() + ", which has no posterior spread");
        }
        try {
            return new DerivedInstance(derivation, derived,
                    DerivedImageWriter.writeUncertainty(source, frames, derivation, settings.uncertainty(), options));
        } catch (IllegalArgumentException e) {
            throw new UncertaintyUnavailableException(e.getMessage()); // e.g. a source with per-frame functional groups
        }
    }

    /**
     * Refuses, before anything is retrieved or enhanced, an uncertainty series for a degradation the model was not trained
     * for: those inputs get a classical interpolation, which has no posterior spread. (Bicubic on area inputs is refused
     * when written, as before.)
     *
     * @throws UncertaintyUnavailableException when the settings ask for what cannot be made
     */
    public void requireUncertaintyPossible() {
        Degradation d = settings.degradationOrDefault();
        if (settings.uncertainty() != null && d != Degradation.DEFAULT && !enhancer.runsModelFor(d)) {
            throw new UncertaintyUnavailableException("an uncertainty series needs a model trained for " + d.id()
                    + " inputs; " + enhancer.modelId() + " " + enhancer.modelVersion() + " is not, so they get "
                    + d.interpolation() + " interpolation, which has no posterior spread");
        }
    }

    /**
     * Everything that determines the pixels, in a canonical text form: it enters the derived UIDs, so changing it
     * renames every derived series the service has ever stored.
     */
    public static String parameters(EnhanceSettings s, int scale) {
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
        if (s.degradationOrDefault() != Degradation.DEFAULT) {
            b.append(" degradation=").append(s.degradationOrDefault().id()); // only then: older UIDs stay as they were
        }
        return b.toString();
    }

    /**
     * Null unless a frame holds a classical interpolation instead of the model's output, or the guard flagged one: then
     * the guard's largest score and how many frames it replaced, or how many frames the model did not run for because
     * of their degradation (the frames' method says why).
     */
    static String fallBackNote(List<EnhancedImage> frames, Degradation d) {
        boolean flagged = frames.stream().anyMatch(EnhancedImage::outOfDistribution);
        long guarded = frames.stream().filter(f -> f.fellBack() && f.outOfDistribution()).count();
        long untrained = frames.stream().filter(f -> f.fellBack() && !f.outOfDistribution()).count();
        if (untrained > 0) {
            return untrained + " of " + frames.size() + " frames were interpolated (" + d.interpolation()
                    + ") instead of the model's output: the model does not run on " + d.id() + " inputs.";
        }
        if (!flagged) {
            return null;
        }
        double score = frames.stream().mapToDouble(EnhancedImage::oodScore).max().orElse(0);
        return "Out-of-distribution score " + String.format(Locale.ROOT, "%.3f", score)
                + (guarded == 0 ? "." : "; " + guarded + " of " + frames.size()
                + " frames were interpolated (" + d.interpolation() + ") instead of the model's output.");
    }
}
