package io.scanenhancer.synthesis;

import io.scanenhancer.evaluation.KernelDistance;
import io.scanenhancer.evaluation.LabelFidelity;
import io.scanenhancer.evaluation.PatchFeatures;
import io.scanenhancer.evaluation.PowerSpectrumRatio;
import io.scanenhancer.evaluation.SliceCoherence;
import io.scanenhancer.diffusion.NoiseBlend;
import io.scanenhancer.training.LabelSlice;
import io.scanenhancer.volume.HeldOutSlab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the trained renderer's choices (its sampling step count, 2-D against 2.5-D) are made: by measurement on
 * validation planes that were never trained on and are not the held-out slab, namely the slab's margins, ch2 axial
 * {@code [excludedFrom, firstSlice)} and {@code [endSlice, excludedTo)} (72..79 and 100..107). The renderer is given
 * each plane's real labels, undeformed, so its image can be set beside the real one at the same plane: feature
 * distance, sharpness, label fidelity, coherence between adjacent planes, PSNR, and time.
 */
public final class RendererValidation {
    /** Noise seed of every validation rendering (the renderer's own seed policy decides per plane or shared). */
    static final long SEED = 20261206L;

    private RendererValidation() {
    }

    /** The validation planes of ch2: the held-out slab's margins, two runs of adjacent 1 mm planes. */
    static int[][] planeRuns() {
        return HeldOutSlab.CH2.marginRuns();
    }

    /**
     * One row of the table.
     *
     * @param kid          unbiased MMD^2 x 1000 of the renderings' patch features against the real planes'
     * @param power        radial power-spectrum ratio to the real planes, three bands
     * @param dice         mean Dice of the rendered images' tissue classification against their labels
     * @param coherence    mean adjacent-plane correlation after the 3 mm high-pass, over both runs
     * @param psnr         against the real plane inside the head, range 255
     * @param secondsPerSlice wall time per rendered plane (0 for the real row)
     */
    public record Row(String name, double kid, double[] power, double dice, double coherence, double farCoherence, double psnr,
                      double secondsPerSlice) {
    }

    /** Plane distance of the far-coherence column: texture that outlives the anatomy shows here as streaks. */
    static final int FAR_GAP_MM = 4;

    /**
     * Renders the validation planes with each step count and measures them against the real planes; the real
     * planes' features, spectrum and the feature standardisation are computed once for all step counts.
     */
    public static List<Row> measure(Ch2Field field, DiffusionLabelRenderer renderer, int... stepCounts) {
        return measure(field, renderer, java.util.Collections.singletonList(renderer.noiseTurnMm()), stepCounts);
    }

    /**
     * As above for each noise turn distance too ({@link StudyNoise}; null: one shared field), when the renderer shares
     * noise across slices; plane k of ch2 lies at k mm.
     */
    public static List<Row> measure(Ch2Field field, DiffusionLabelRenderer renderer, List<Double> turns, int... stepCounts) {
        List<FieldStack> real = realRuns(field);
        FieldStack b = real.get(0).concat(real.get(1));
        double[][] z = SynthesisEvaluation.featureStandardisation(field);
        List<double[]> realFeatures = PatchFeatures.standardised(SynthesisEvaluation.features(b), z);
        PowerSpectrumRatio.Spectrum realSpectrum = SynthesisEvaluation.spectrum(b);
        List<Row> rows = new ArrayList<>();
        for (int steps : stepCounts) {
            for (Double turn : turns) {
                rows.add(row(field, renderer, steps, turn, real, b, z, realFeatures, realSpectrum));
            }
        }
        return rows;
    }

    /** The validation planes rendered with one step count and noise turn, measured against the real planes {@code b}. */
    private static Row row(Ch2Field field, DiffusionLabelRenderer renderer, int steps, Double turn, List<FieldStack> real, FieldStack b,
                           double[][] z, List<double[]> realFeatures, PowerSpectrumRatio.Spectrum realSpectrum) {
        List<FieldStack> rendered = new ArrayList<>();
        long start = System.nanoTime();
        int planes = 0;
        int[][] runs = planeRuns();
        for (int r = 0; r < runs.length; r++) {
            List<float[]> images = new ArrayList<>();
            for (int i = 0; i < runs[r].length; i++) {
                LabelSlice s = field.slice(runs[r][i], renderer.neighbourOffsetsMm());
                NoiseBlend noise = !renderer.sharesNoiseAcrossSlices() ? NoiseBlend.of(SEED + runs[r][i])
                        : turn == null ? NoiseBlend.of(SEED) : StudyNoise.at(SEED, runs[r][i], turn);
                images.add(renderer.render(s, noise, steps));
                planes++;
            }
            rendered.add(new FieldStack(images, real.get(r).labels(), real.get(r).offsetsMm()));
        }
        double seconds = (System.nanoTime() - start) / 1e9 / planes;
        FieldStack a = rendered.get(0).concat(rendered.get(1));
        double kid = 1000 * KernelDistance.unbiasedMmd2(PatchFeatures.standardised(SynthesisEvaluation.features(a), z), realFeatures);
        String name = steps + " steps" + (!renderer.sharesNoiseAcrossSlices() ? ""
                : turn == null ? ", one noise field" : ", noise turning every " + StudySpec.fmt(turn) + " mm");
        return new Row(name, kid, PowerSpectrumRatio.ratio(SynthesisEvaluation.spectrum(a), realSpectrum),
                LabelFidelity.of(a.images(), a.labels()).meanDice(), meanCoherence(rendered), farCoherence(rendered),
                psnrInsideHead(a, b), seconds);
    }

    /** The real planes against themselves where a measure allows (KID and PSNR are then 0 and infinite: left blank). */
    public static Row real(Ch2Field field) {
        List<FieldStack> real = realRuns(field);
        FieldStack all = real.get(0).concat(real.get(1));
        return new Row("real ch2 planes", Double.NaN, new double[] {1, 1, 1}, LabelFidelity.of(all.images(), all.labels()).meanDice(),
                meanCoherence(real), farCoherence(real), Double.NaN, 0);
    }

    private static List<FieldStack> realRuns(Ch2Field field) {
        List<FieldStack> out = new ArrayList<>();
        for (int[] run : planeRuns()) {
            out.add(FieldStack.ch2Slices(field, run[0], run[run.length - 1] + 1));
        }
        return out;
    }

    private static double meanCoherence(List<FieldStack> runs) {
        return runs.stream().mapToDouble(s -> SynthesisEvaluation.coherence(s, SliceCoherence.Axis.AXIAL)).average().orElse(Double.NaN);
    }

    /** Mean correlation after the high-pass between planes {@value #FAR_GAP_MM} mm apart, within each run. */
    static double farCoherence(List<FieldStack> runs) {
        double sum = 0;
        int pairs = 0;
        for (FieldStack run : runs) {
            for (int s = 0; s + FAR_GAP_MM < run.size(); s++) {
                double c = SynthesisEvaluation.coherence(run.select(new int[] {s, s + FAR_GAP_MM}), SliceCoherence.Axis.AXIAL);
                if (!Double.isNaN(c)) {
                    sum += c;
                    pairs++;
                }
            }
        }
        return pairs == 0 ? Double.NaN : sum / pairs;
    }

    static double psnrInsideHead(FieldStack a, FieldStack b) {
        double sum = 0;
        long n = 0;
        List<boolean[]> masks = b.headMasks();
        for (int i = 0; i < a.size(); i++) {
            float[] x = a.images().get(i), y = b.images().get(i);
            boolean[] m = masks.get(i);
            for (int p = 0; p < x.length; p++) {
                if (m[p]) {
                    double d = x[p] - y[p];
                    sum += d * d;
                    n++;
                }
            }
        }
        return 10 * Math.log10(255.0 * 255.0 / (sum / n));
    }

    /** The markdown table of the rows, with what each column means. */
    public static String table(String title, List<Row> rows) {
        int[][] runs = planeRuns();
        StringBuilder md = new StringBuilder("## ").append(title).append("\n\n");
        md.append(String.format(Locale.ROOT, "Validation planes: ch2 axial %d..%d and %d..%d (the held-out slab's margins: never trained on, not "
                        + "the slab), each rendered from its own undeformed labels and compared with the real plane. KID x 1000: unbiased MMD^2 "
                        + "on %s. Power: radial power-spectrum ratio to the real planes (1 = as sharp as real) in the bands %s. Dice: mean over "
                        + "CSF / grey / white of the image's Gaussian-mixture classification against its labels. Coherence: adjacent-plane "
                        + "correlation after a %.0f mm high-pass, over the brain; far: the same for planes " + FAR_GAP_MM + " mm apart "
                        + "(texture that outlives the anatomy, seen as streaks in reformats, raises it above real). PSNR inside the head against the real plane (range 255).%n%n",
                runs[0][0], runs[0][runs[0].length - 1], runs[1][0], runs[1][runs[1].length - 1], PatchFeatures.DESCRIPTION,
                String.join(", ", PowerSpectrumRatio.BAND_NAMES), SliceCoherence.HIGH_PASS_SIGMA_MM));
        md.append("| rendering | KID x 1000 | power (3 bands) | Dice | coherence | far coherence | PSNR dB | s per slice |\n|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f / %.2f / %.2f | %.3f | %.3f | %.3f | %s | %s |%n", r.name(),
                    Double.isNaN(r.kid()) ? "-" : String.format(Locale.ROOT, "%.1f", r.kid()), r.power()[0], r.power()[1], r.power()[2],
                    r.dice(), r.coherence(), r.farCoherence(), Double.isNaN(r.psnr()) ? "-" : String.format(Locale.ROOT, "%.2f", r.psnr()),
                    r.secondsPerSlice() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.secondsPerSlice())));
        }
        return md.append('\n').toString();
    }

}
