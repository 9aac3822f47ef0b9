package io.scanenhancer.synthesis;

import io.scanenhancer.dicom.DerivedObject;
import io.scanenhancer.dicom.SyntheticSeriesWriter;
import io.scanenhancer.diffusion.GeneratorConfig;
import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.SyntheticStackPipeline;
import io.scanenhancer.training.GeneratorTrainingData;
import io.scanenhancer.volume.HeldOutSlab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One synthetic study: the stack from the generator and the super-resolution cascade, the memorisation audit, and the
 * DICOM objects of the slices that passed it. Opened once (the models load in seconds), used for many requests.
 */
public final class StudySynthesizer implements AutoCloseable {
    /** Default rejection threshold on 1 - NCC; see MODEL_CARD.md of the generator for how it was chosen. */
    public static final double DEFAULT_THRESHOLD = 0.02;

    private final SyntheticStackPipeline pipeline;
    private final MemorisationAudit audit;
    private final String uidRoot;

    public StudySynthesizer(SyntheticStackPipeline pipeline, MemorisationAudit audit, String uidRoot) {
        this.pipeline = pipeline;
        this.audit = audit;
        this.uidRoot = uidRoot;
    }

    /**
     * @param trainingVolume the generator's training volume (ch2.nii.gz), needed by the audit
     */
    public static StudySynthesizer open(Path generatorDir, Path trainingVolume, double threshold, String uidRoot) throws IOException {
        SyntheticStackPipeline pipeline = SyntheticStackPipeline.load(generatorDir);
        try {
            return new StudySynthesizer(pipeline, auditAgainst(trainingVolume, threshold), uidRoot);
        } catch (IOException | RuntimeException e) {
            pipeline.close();
            throw e;
        }
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

    public GeneratorConfig generatorConfig() {
        return pipeline.generatorConfig();
    }

    /**
     * @param objects   the published instances (the slices the audit passed), in slice order
     * @param stack     every generated slice, published or not
     * @param audit     the audit of every slice
     * @param millis    generation and audit time
     */
    public record Result(String studyInstanceUid, String seriesInstanceUid, List<DerivedObject> objects,
                         SyntheticStackPipeline.Stack stack, MemorisationAudit.Report audit, long millis) {
    }

    public Result synthesize(int count, long seed) {
        long start = System.nanoTime();
        SyntheticStackPipeline.Stack stack = pipeline.generate(count, seed, null, null);
        MemorisationAudit.Report report = audit.audit(normalised(stack.lowRes()));
        SyntheticSeriesWriter.Series all = series(stack, seed, count);
        List<DerivedObject> written = SyntheticSeriesWriter.write(all);
        List<DerivedObject> published = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            if (!report.matches().get(i).rejected()) {
                published.add(written.get(i));
            }
        }
        return new Result(SyntheticSeriesWriter.studyInstanceUid(all), SyntheticSeriesWriter.seriesInstanceUid(all),
                published, stack, report, (System.nanoTime() - start) / 1_000_000);
    }

    /** The audit compares in the generator's normalisation: back from 0..255 to [-1, 1]. */
    static List<float[]> normalised(List<float[]> lowRes) {
        List<float[]> out = new ArrayList<>(lowRes.size());
        for (float[] img : lowRes) {
            float[] n = new float[img.length];
            for (int i = 0; i < img.length; i++) {
                n[i] = img[i] / 127.5f - 1;
            }
            out.add(n);
        }
        return out;
    }

    /**
     * The stack in patient coordinates: the canvas centred on the origin in x and y, z the training volume's axial
     * position (mm from its centre). The generator works in the volume's RAS index order; rows and columns are
     * reversed so that, as usual for axial images, columns run toward the patient's left and rows toward posterior.
     */
    private SyntheticSeriesWriter.Series series(SyntheticStackPipeline.Stack stack, long seed, int count) {
        GeneratorConfig g = pipeline.generatorConfig();
        ModelConfig sr = pipeline.superResolutionConfig();
        int size = stack.size();
        List<float[]> displayed = new ArrayList<>();
        for (float[] img : stack.fullRes()) {
            float[] flipped = new float[img.length];
            for (int p = 0; p < img.length; p++) {
                flipped[img.length - 1 - p] = img[p];
            }
            displayed.add(flipped);
        }
        double ps = stack.pixelSpacingMm();
        double corner = -(size / 2.0 - 0.5) * ps;
        double[] z = new double[count];
        for (int i = 0; i < count; i++) {
            z[i] = (stack.axialIndices()[i] - (g.depth() - 1) / 2.0) * g.sliceSpacingMm();
        }
        String key = "seed=" + seed + " count=" + count + " sampler=" + g.sampling().sampler() + " steps=" + g.sampling().steps()
                + " sr=" + sr.id() + "-" + sr.version();
        return new SyntheticSeriesWriter.Series(
                new SyntheticSeriesWriter.Model(g.id(), g.version(), "synthesized " + g.size() + "x" + g.size() + " slices: " + stack.method()),
                new SyntheticSeriesWriter.Model(sr.id(), sr.version(), "super-resolution 2x, " + g.superResolution().stages() + " stages"),
                key, uidRoot, size, size, ps, stack.sliceSpacingMm(), new double[] {corner, corner}, z, displayed);
    }

    @Override
    public void close() {
        pipeline.close();
    }
}
