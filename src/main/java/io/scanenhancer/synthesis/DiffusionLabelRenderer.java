package io.scanenhancer.synthesis;

import io.scanenhancer.dicom.SyntheticSeriesWriter;
import io.scanenhancer.diffusion.LabelRenderingModel;
import io.scanenhancer.diffusion.NoiseBlend;
import io.scanenhancer.diffusion.RendererConfig;
import io.scanenhancer.training.LabelSlice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The trained label-conditioned diffusion renderer ({@link LabelRenderingModel}, trained by
 * {@code ./enhancer train-renderer} on ch2's training slices only): a slice's tissue labels (and, 2.5-D, the labels
 * of the planes {@link RendererConfig#neighbourSpacingMm()} above and below it) to a T1 image, at the 1 mm pixels it
 * was trained at, directly: the study field is already 1 mm, so no super-resolution stage is needed, and the renderer
 * never reads ch2's own T1 values (unlike {@link T1StandInRenderer}).
 */
public final class DiffusionLabelRenderer implements SliceRenderer, AutoCloseable {
    public static final Path DEFAULT_MODEL = Path.of("models/mri-t1-label-renderer-v2");
    public static final String SERIES_DESCRIPTION = "SYNTHETIC MR T1 (DIFFUSION RENDERER) - NOT REAL PATIENT DATA";

    private final LabelRenderingModel model;
    private final RendererConfig config;

    private DiffusionLabelRenderer(LabelRenderingModel model) {
        this.model = model;
        this.config = model.config();
    }

    /**
     * Loads the renderer in {@code dir}.
     *
     * @throws IllegalArgumentException (a refusal, not a failure) when {@code dir} holds no trained renderer
     */
    public static DiffusionLabelRenderer open(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalArgumentException("no trained diffusion renderer at " + dir.toAbsolutePath()
                    + " (config.json missing): train one with ./enhancer train-renderer --out RUN (it ships RUN/model), then pass "
                    + "--renderer-model RUN/model or copy that folder to " + DEFAULT_MODEL);
        }
        return new DiffusionLabelRenderer(LabelRenderingModel.load(dir));
    }

    public RendererConfig config() {
        return config;
    }

    @Override
    public SyntheticSeriesWriter.Model model() {
        return new SyntheticSeriesWriter.Model(config.id(), config.version(), String.format(Locale.ROOT,
                "label-conditioned diffusion renderer (%s, v-prediction, cosine schedule, %s %d steps%s), trained on ch2 axial "
                        + "training slices only; tissue labels to T1 at %.0f mm", config.neighbours() == 0 ? "2-D"
                        : "2.5-D, labels " + fmt(config.neighbourSpacingMm()) + " mm above and below", config.sampling().sampler(),
                config.sampling().steps(), noiseDescription(), config.pixelSpacingMm()));
    }

    private String noiseDescription() {
        if (!config.sampling().sharedNoise()) {
            return "";
        }
        Double turn = config.sampling().noiseTurnMm();
        return turn == null ? ", noise shared across slices" : ", noise shared across slices, turning to a new field every " + fmt(turn) + " mm";
    }

    private static String fmt(double v) {
        return StudySpec.fmt(v);
    }

    @Override
    public boolean standIn() {
        return false;
    }

    @Override
    public String seriesDescription() {
        return SERIES_DESCRIPTION;
    }

    @Override
    public double[] neighbourOffsetsMm() {
        int n = config.neighbours();
        double[] offsets = new double[2 * n];
        for (int i = 0; i < n; i++) {
            offsets[i] = -(n - i) * config.neighbourSpacingMm();
            offsets[n + i] = (i + 1) * config.neighbourSpacingMm();
        }
        return offsets;
    }

    @Override
    public boolean sharesNoiseAcrossSlices() {
        return config.sampling().sharedNoise();
    }

    @Override
    public Double noiseTurnMm() {
        return config.sampling().noiseTurnMm();
    }

    /** The real ch2 T1 plane: what this renderer was trained to reproduce, so what a copy would look like. */
    @Override
    public float[] reference(LabelSlice sourcePlane, long seed) {
        return sourcePlane.t1();
    }

    @Override
    public String referenceDescription() {
        return "as real ch2 T1 images (what " + config.id() + " was trained to reproduce)";
    }

    @Override
    public float[] render(LabelSlice slice, long seed) {
        return render(slice, seed, config.sampling().steps());
    }

    @Override
    public float[] render(LabelSlice slice, NoiseBlend noise) {
        return render(slice, noise, config.sampling().steps());
    }

    /** As {@link #render(LabelSlice, long)} with another step count (for choosing it by measurement). */
    public float[] render(LabelSlice slice, long seed, int steps) {
        return render(slice, NoiseBlend.of(seed), steps);
    }

    /** With x_T a blend of two seeds' fields and a given step count. */
    public float[] render(LabelSlice slice, NoiseBlend noise, int steps) {
        int n = config.neighbours();
        if (slice.neighbours().length != 2 * n) {
            throw new IllegalArgumentException("this renderer is conditioned on " + 2 * n + " neighbour planes, the slice has "
                    + slice.neighbours().length);
        }
        int area = slice.height() * slice.width();
        byte[] planes = new byte[(2 * n + 1) * area];
        for (int i = 0; i < n; i++) {
            System.arraycopy(slice.neighbours()[i], 0, planes, i * area, area);
            System.arraycopy(slice.neighbours()[n + i], 0, planes, (n + 1 + i) * area, area);
        }
        System.arraycopy(slice.labels(), 0, planes, n * area, area);
        float[] x = model.render(planes, slice.height(), slice.width(), noise, steps);
        float[] out = new float[area];
        for (int p = 0; p < area; p++) {
            out[p] = Math.max(0, Math.min(255, config.denormalise(x[p])));
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
