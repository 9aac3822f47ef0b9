package io.scanenhancer.synthesis;

import io.scanenhancer.anatomy.Ch2TissueLabels;
import io.scanenhancer.anatomy.RandomAnatomy;
import io.scanenhancer.anatomy.SourceAnatomy;
import io.scanenhancer.dicom.DerivedObject;
import io.scanenhancer.dicom.SegmentationWriter;
import io.scanenhancer.dicom.SyntheticSeriesWriter;
import io.scanenhancer.diffusion.GeneratorConfig;
import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.SyntheticStackPipeline;
import io.scanenhancer.training.GeneratorTrainingData;
import io.scanenhancer.volume.HeldOutSlab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Synthetic studies as a caller asks for them ({@link StudySpec}): with renderer {@code diffusion} (the default) a
 * deformed ch2 label volume rendered slice by slice ({@link LabelledStudy}) by the trained
 * {@link DiffusionLabelRenderer}, with {@code labels} by the physics stand-in, as MR Image objects plus the paired DICOM
 * Segmentation; with renderer {@code generator} the position-conditioned generator cascade ({@link GeneratedStudy}),
 * images only. Opened once, used for many requests; each model loads on its first request.
 */
public final class StudySynthesizer implements AutoCloseable {
    /** Default rejection threshold on 1 - NCC; see MODEL_CARD.md of the generator for how it was chosen. */
    public static final double DEFAULT_THRESHOLD = 0.02;
    /** The anatomy model as Contributing Equipment: what drew the head. */
    public static final SyntheticSeriesWriter.Model ANATOMY = new SyntheticSeriesWriter.Model("ch2-deformed-anatomy", "1",
            "random diffeomorphic deformation (stationary velocity field, scaling and squaring), ventricular enlargement and affine pose/size of the ch2 tissue labels");

    private final SourceAnatomy source;
    private final SliceRenderer renderer;
    private final Path generatorDir, rendererDir, trainingVolume;
    private final double threshold;
    private final String uidRoot;
    private final Map<StudySpec.Renderer, MemorisationAudit> labelAudits = new EnumMap<>(StudySpec.Renderer.class);
    private MemorisationAudit generatorAudit;
    private SyntheticStackPipeline pipeline;
    private DiffusionLabelRenderer diffusionRenderer;

    private StudySynthesizer(SourceAnatomy source, SliceRenderer renderer, Path generatorDir, Path rendererDir, Path trainingVolume,
                             SyntheticStackPipeline pipeline, MemorisationAudit generatorAudit, double threshold, String uidRoot) {
        this.source = source;
        this.renderer = renderer;
        this.generatorDir = generatorDir;
        this.rendererDir = rendererDir;
        this.trainingVolume = trainingVolume;
        this.pipeline = pipeline;
        this.generatorAudit = generatorAudit;
        this.threshold = threshold;
        this.uidRoot = uidRoot;
    }

    /** A synthesizer of the generator path only, on an open pipeline (evaluation). */
    public StudySynthesizer(SyntheticStackPipeline pipeline, MemorisationAudit audit, String uidRoot) {
        this(null, null, null, null, null, pipeline, audit, audit.threshold(), uidRoot);
    }

    /**
     * @param generatorDir   the generator's folder (opened on the first generator request)
     * @param trainingVolume ch2.nii.gz: the labels' T1 texture and what both audits compare against
     */
    public static StudySynthesizer open(Path generatorDir, Path trainingVolume, double threshold, String uidRoot) throws IOException {
        return open(generatorDir, DiffusionLabelRenderer.DEFAULT_MODEL, trainingVolume, threshold, uidRoot);
    }

    /** @param rendererDir the trained diffusion renderer's folder (opened on the first {@code diffusion} request) */
    public static StudySynthesizer open(Path generatorDir, Path rendererDir, Path trainingVolume, double threshold, String uidRoot)
            throws IOException {
        SourceAnatomy source = SourceAnatomy.ch2(trainingVolume);
        T1StandInRenderer renderer = new T1StandInRenderer(Ch2TissueLabels.committedPureMeans());
        return new StudySynthesizer(source, renderer, generatorDir, rendererDir, trainingVolume, null, null, threshold, uidRoot);
    }

    /** The audit over every slice the generator was trained on, prepared as training saw them. */
    public static MemorisationAudit auditAgainst(Path trainingVolume, double threshold) throws IOException {
        GeneratorTrainingData data = GeneratorTrainingData.load(trainingVolume, HeldOutSlab.CH2);
        List<float[]> slices = new ArrayList<>();
        int[] indices = new int[data.slices().size()];
        for (int i = 0; i < indices.length; i++) {
            slices.add(GeneratorTrainingData.lowResolution(data.slices().get(i)));
            indices[i] = data.slices().get(i).index();
        }
        return new MemorisationAudit(slices, indices, GeneratorTrainingData.SIZE, threshold);
    }

    /**
     * One study.
     *
     * @param images       MR Image objects in slice order
     * @param segmentation the paired DICOM Segmentation, or null (generator)
     * @param volume       pixels, labels and geometry for NIfTI export
     * @param rendererId   what rendered the pixels (model id and version)
     * @param method       how, in words (the result event's method)
     * @param stack        the generator's stack, or null (labels)
     */
    public record Result(StudySpec spec, String studyInstanceUid, String seriesInstanceUid, List<DerivedObject> images,
                         DerivedObject segmentation, StudyVolume volume, MemorisationAudit.Report audit,
                         List<Redraws.Redraw> redraws, int redrawBudget, String rendererId, String rendererVersion,
                         boolean standIn, String method, RandomAnatomy.Parameters anatomy, SyntheticStackPipeline.Stack stack,
                         long millis) {
        /** Everything to store: the images, then the segmentation. */
        public List<DerivedObject> objects() {
            List<DerivedObject> all = new ArrayList<>(images);
            if (segmentation != null) {
                all.add(segmentation);
            }
            return all;
        }
    }

    /** The generator path at the default spacing (kept for evaluation and older callers). */
    public Result synthesize(int count, long seed) {
        return synthesize(new StudySpec(count, null, seed, StudySpec.Renderer.GENERATOR));
    }

    /** @throws IllegalArgumentException the spec cannot be honoured for this seed (the message says why) */
    public Result synthesize(StudySpec spec) {
        return switch (spec.renderer()) {
            case LABELS -> labelled(spec, renderer);
            case DIFFUSION -> labelled(spec, diffusionRenderer());
            case GENERATOR -> generated(spec);
        };
    }

    private Result labelled(StudySpec spec, SliceRenderer renderer) {
        if (source == null) {
            throw new IllegalArgumentException("this synthesizer serves the generator only");
        }
        LabelledStudy.Result r = LabelledStudy.draw(source, renderer, labelAudit(spec.renderer(), renderer), spec);
        SlabPlan plan = r.plan();
        SyntheticSeriesWriter.Model model = renderer.model();
        String key = "renderer=" + model.id() + "-" + model.version() + " anatomy=" + ANATOMY.id() + "-" + ANATOMY.version()
                + " seed=" + spec.seed() + " count=" + spec.count() + " spacing=" + spec.spacing();
        String note = renderer.standIn() ? "STAND-IN RENDERER " + model.id() + " (physics, not the trained diffusion renderer)." : null;
        SyntheticSeriesWriter.Series series = new SyntheticSeriesWriter.Series(List.of(
                new SyntheticSeriesWriter.Equipment(SyntheticSeriesWriter.Purpose.SYNTHESIZING, ANATOMY),
                new SyntheticSeriesWriter.Equipment(SyntheticSeriesWriter.Purpose.SYNTHESIZING, model)),
                key, uidRoot, plan.rows(), plan.columns(), plan.pixelSpacingMm(), plan.spacingMm(),
                new double[] {plan.x0(), plan.y0()}, plan.z(), r.images(), renderer.seriesDescription(), note);
        List<DerivedObject> images = SyntheticSeriesWriter.write(series);
        DerivedObject seg = SegmentationWriter.write(series, SegmentCodes.all(ANATOMY.id() + " " + ANATOMY.version()), r.labels(),
                "Tissue labels of the deformed ch2 anatomy (ch2-tissue-labels)");
        StudyVolume volume = new StudyVolume(plan.rows(), plan.columns(), plan.pixelSpacingMm(), plan.spacingMm(), plan.x0(), plan.y0(),
                plan.z(), r.images(), r.labels());
        String method = String.format(Locale.ROOT, "%s %s%s on ch2 labels deformed by %s %s (seed %d)", model.id(), model.version(),
                renderer.standIn() ? " (STAND-IN physics renderer, not the diffusion renderer)" : "", ANATOMY.id(), ANATOMY.version(), spec.seed());
        return new Result(spec, SyntheticSeriesWriter.studyInstanceUid(series), SyntheticSeriesWriter.seriesInstanceUid(series), images,
                seg, volume, r.audit(), r.redraws(), r.redrawBudget(), model.id(), model.version(), renderer.standIn(), method,
                r.anatomy().parameters(), null, r.millis());
    }

    private Result generated(StudySpec spec) {
        SyntheticStackPipeline p = pipeline();
        GeneratedStudy.Result r = GeneratedStudy.draw(p, generatorAudit(), spec);
        GeneratorConfig g = p.generatorConfig();
        ModelConfig sr = p.superResolutionConfig();
        SyntheticStackPipeline.Stack stack = r.stack();
        int size = stack.size();
        // the generator works in the volume's RAS index order; reversing rows and columns gives the usual axial view,
        // columns toward the patient's left and rows toward posterior
        List<float[]> displayed = new ArrayList<>();
        for (float[] img : stack.fullRes()) {
            float[] flipped = new float[img.length];
            for (int q = 0; q < img.length; q++) {
                flipped[img.length - 1 - q] = img[q];
            }
            displayed.add(flipped);
        }
        double ps = stack.pixelSpacingMm();
        double corner = -(size / 2.0 - 0.5) * ps;
        String key = "seed=" + spec.seed() + " count=" + spec.count() + " spacing=" + spec.spacing() + " sampler=" + g.sampling().sampler()
                + " steps=" + g.sampling().steps() + " sr=" + sr.id() + "-" + sr.version();
        SyntheticSeriesWriter.Series series = new SyntheticSeriesWriter.Series(
                new SyntheticSeriesWriter.Model(g.id(), g.version(), "synthesized " + g.size() + "x" + g.size() + " slices: " + stack.method()),
                new SyntheticSeriesWriter.Model(sr.id(), sr.version(), "super-resolution 2x, " + g.superResolution().stages() + " stages"),
                key, uidRoot, size, size, ps, spec.spacing(), new double[] {corner, corner}, r.sliceZ(), displayed);
        StudyVolume volume = new StudyVolume(size, size, ps, spec.spacing(), corner, corner, r.sliceZ(), displayed, null);
        return new Result(spec, SyntheticSeriesWriter.studyInstanceUid(series), SyntheticSeriesWriter.seriesInstanceUid(series),
                SyntheticSeriesWriter.write(series), null, volume, r.audit(), r.redraws(), r.redrawBudget(), g.id(), g.version(), false,
                stack.method(), null, stack, r.millis());
    }

    private synchronized MemorisationAudit labelAudit(StudySpec.Renderer kind, SliceRenderer r) {
        return labelAudits.computeIfAbsent(kind, k -> LabelledStudy.referenceAudit(source, r, threshold));
    }

    /** @throws IllegalArgumentException no trained renderer in the folder (a refusal: the caller asked for what is not there) */
    private synchronized DiffusionLabelRenderer diffusionRenderer() {
        if (diffusionRenderer == null) {
            if (source == null) {
                throw new IllegalArgumentException("this synthesizer serves the generator only");
            }
            try {
                diffusionRenderer = DiffusionLabelRenderer.open(rendererDir);
            } catch (IOException e) {
                throw new UncheckedIOException("the diffusion renderer " + rendererDir + " cannot be opened: " + e.getMessage(), e);
            }
        }
        return diffusionRenderer;
    }

    private synchronized MemorisationAudit generatorAudit() {
        if (generatorAudit == null) {
            try {
                generatorAudit = auditAgainst(trainingVolume, threshold);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return generatorAudit;
    }

    private synchronized SyntheticStackPipeline pipeline() {
        if (pipeline == null) {
            try {
                pipeline = SyntheticStackPipeline.load(generatorDir);
            } catch (IOException e) {
                throw new UncheckedIOException("the generator " + generatorDir + " cannot be opened: " + e.getMessage(), e);
            }
        }
        return pipeline;
    }

    @Override
    public synchronized void close() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (diffusionRenderer != null) {
            diffusionRenderer.close();
        }
    }
}
