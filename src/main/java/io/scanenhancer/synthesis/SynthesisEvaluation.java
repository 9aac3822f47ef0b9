package io.scanenhancer.synthesis;

import io.scanenhancer.evaluation.GeneratorQuality;
import io.scanenhancer.evaluation.KernelDistance;
import io.scanenhancer.evaluation.LabelFidelity;
import io.scanenhancer.evaluation.PatchFeatures;
import io.scanenhancer.evaluation.PowerSpectrumRatio;
import io.scanenhancer.evaluation.SliceCoherence;
import io.scanenhancer.anatomy.SourceAnatomy;
import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.volume.HeldOutSlab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Measured quality of labelled synthetic studies (issue 19, point 5), whatever {@link SliceRenderer} drew them: draws
 * one study per seed as {@code synthesize} does ({@link LabelledStudy}), cuts real ch2 the same way ({@link Ch2Field})
 * and compares, in a markdown report and a three-view PNG ({@link StudySheetPng}):
 * <ul>
 * <li>kernel distance (KID-style, {@link KernelDistance}) on {@link PatchFeatures}, synthetic slices at the held-out
 *     slab's positions against the real held-out slab, beside real against real;</li>
 * <li>sharpness, {@link PowerSpectrumRatio} inside the head, same sets;</li>
 * <li>label fidelity, {@link LabelFidelity}: the synthetic images against their labels, the real against its own;</li>
 * <li>3-D coherence, {@link SliceCoherence}, synthetic against real at the same spacing, in three orientations;</li>
 * <li>diversity, mean SSIM between the studies of different seeds at matched positions;</li>
 * <li>the renderer-alone audit ({@link RendererCopyRisk}, point 6) and every study's own memorisation audit.</li>
 * </ul>
 * The held-out slab (ch2 axial 80..99) is only compared against; nothing is chosen on it. The features are
 * standardised on ch2's training slices.
 */
public final class SynthesisEvaluation {
    /** Every n-th training slice standardises the features (they vary slowly from slice to slice). */
    static final int STANDARDISATION_STEP = 4;
    /** Real slices this far beyond the excluded margin on either side are the "real slices 12 mm away" baseline. */
    static final int NEAR_MM = 12;
    /** Slices with less brain than this fraction of the field are left out of the diversity SSIM (empty slices agree trivially). */
    static final double MIN_BRAIN_FRACTION = 0.05;

    private SynthesisEvaluation() {
    }

    public record Settings(int seeds, int count, double spacingMm, double threshold) {
    }

    /** Runs everything and writes {@code out/EVALUATION.md} and {@code out/three-views.png}; returns the markdown. */
    public static String run(SourceAnatomy source, Ch2Field field, SliceRenderer renderer, Settings settings, Path out,
                             PrintStream log) throws IOException {
        Files.createDirectories(out);
        long start = System.nanoTime();
        MemorisationAudit audit = LabelledStudy.referenceAudit(source, renderer, settings.threshold());
        List<LabelledStudy.Result> studies = new ArrayList<>();
        for (int seed = 0; seed < settings.seeds(); seed++) {
            studies.add(LabelledStudy.draw(source, renderer, audit,
                    new StudySpec(settings.count(), settings.spacingMm(), seed,
                            renderer.standIn() ? StudySpec.Renderer.LABELS : StudySpec.Renderer.DIFFUSION)));
            log.printf(Locale.ROOT, "seed %d drawn in %d ms%n", seed, studies.get(seed).millis());
        }
        List<FieldStack> synthetic = studies.stream().map(FieldStack::of).toList();
        HeldOutSlab slab = HeldOutSlab.CH2;
        FieldStack heldOut = FieldStack.ch2Slices(field, slab.firstSlice(), slab.endSlice());
        FieldStack near = FieldStack.ch2Slices(field, slab.excludedFrom() - NEAR_MM, slab.excludedFrom())
                .concat(FieldStack.ch2Slices(field, slab.excludedTo(), slab.excludedTo() + NEAR_MM));
        FieldStack even = heldOut.every(2), odd = heldOut.select(IntStream.range(0, heldOut.size()).filter(i -> i % 2 == 1).toArray());
        List<FieldStack> atHeldOut = synthetic.stream().map(s -> s.select(IntStream.range(0, s.size())
                .filter(i -> inHeldOut(field.sliceAt(s.offsetsMm()[i]), slab)).toArray())).toList();
        FieldStack pooled = atHeldOut.stream().reduce(FieldStack::concat).orElseThrow();

        StringBuilder md = new StringBuilder();
        String standIn = renderer.standIn() ? " (STAND-IN renderer: physics on ch2's own T1 texture, not the trained diffusion renderer)" : "";
        md.append("# Quality of labelled synthetic studies: ").append(renderer.model().id()).append(' ').append(renderer.model().version())
                .append(standIn).append("\n\n");
        md.append(String.format(Locale.ROOT, "Measured by `./enhancer evaluate-synthesis`: %d studies (seeds 0..%d) of %d axial slices %.1f mm apart, "
                + "256x256 at 1 mm, against ch2. Held-out slab: ch2 axial %d..%d (never trained on, never used for a choice); a synthetic "
                + "slice is \"at the same position\" when it lies as far above the brain's centroid as the real slice (the synthetic head is "
                + "ch2's anatomy resized by up to 10%% and tilted by up to 10 degrees, so positions match anatomy approximately). "
                + "Synthetic slices at held-out positions: %d.%n%n", settings.seeds(), settings.seeds() - 1, settings.count(), settings.spacingMm(),
                slab.firstSlice(), slab.endSlice() - 1, pooled.size()));
        if (renderer.standIn()) {
            md.append("**Caveat for this renderer:** it reads ch2's own T1 value at each deformed point (held-out slab included), so its "
                    + "slices at held-out positions are deformed copies of the real held-out texture: its kernel distance and sharpness "
                    + "there are not evidence of generalisation. They become so for a renderer trained on the training slices only.\n\n");
        }
        kernelDistance(md, field, pooled, atHeldOut, heldOut, near, even, odd, log);
        sharpness(md, pooled, heldOut, near, even, odd);
        labelFidelity(md, field, synthetic);
        coherence(md, field, synthetic, settings.spacingMm());
        diversity(md, field, synthetic);
        audits(md, studies, RendererCopyRisk.measure(field, renderer, settings.threshold()));
        List<StudySheetPng.Row> rows = new ArrayList<>();
        for (int s = 0; s < Math.min(2, synthetic.size()); s++) {
            rows.add(new StudySheetPng.Row("synthetic, seed " + s + standIn, synthetic.get(s)));
        }
        rows.add(new StudySheetPng.Row("real ch2 at the same positions, its own labels", FieldStack.ch2Matching(field, synthetic.get(0))));
        StudySheetPng.write(out.resolve("three-views.png"), rows);
        md.append(String.format(Locale.ROOT, "`three-views.png`: axial, coronal and sagittal planes of seeds 0 and 1 and of real ch2 at the same "
                + "positions, plain and with the labels. Whole evaluation: %.0f s on this machine.%n", (System.nanoTime() - start) / 1e9));
        Files.writeString(out.resolve("EVALUATION.md"), md.toString());
        log.print(md);
        return md.toString();
    }

    static boolean inHeldOut(int k, HeldOutSlab slab) {
        return k >= slab.firstSlice() && k < slab.endSlice();
    }

    private static void kernelDistance(StringBuilder md, Ch2Field field, FieldStack pooled, List<FieldStack> perSeed, FieldStack heldOut,
                                       FieldStack near, FieldStack even, FieldStack odd, PrintStream log) {
        double[][] z = featureStandardisation(field);
        List<double[]> real = PatchFeatures.standardised(features(heldOut), z);
        md.append("## Kernel distance (KID-style) on filter-bank features\n\n");
        md.append("Unbiased MMD^2 with the kernel k(x,y) = (x.y/d + 1)^3 (Binkowski et al. 2018), x 1000. Features: ")
                .append(PatchFeatures.DESCRIPTION).append(". 0 = indistinguishable; the unbiased estimate can be slightly negative.\n\n");
        md.append("| sets compared | patches | KID x 1000 |\n|---|---|---|\n");
        kidRow(md, "synthetic (all seeds) at held-out positions vs real held-out slab", PatchFeatures.standardised(features(pooled), z), real);
        for (int s = 0; s < perSeed.size(); s++) {
            kidRow(md, "synthetic seed " + s + " vs real held-out slab", PatchFeatures.standardised(features(perSeed.get(s)), z), real);
        }
        kidRow(md, "real: slices " + NEAR_MM + " mm beyond the margin either side vs real held-out slab", PatchFeatures.standardised(features(near), z), real);
        kidRow(md, "real: held-out even vs odd slices", PatchFeatures.standardised(features(even), z), PatchFeatures.standardised(features(odd), z));
        md.append('\n');
        log.println("kernel distance done");
    }

    /** Mean and sd of each feature over every {@value #STANDARDISATION_STEP}th training slice of ch2 (never the slab or its margin). */
    static double[][] featureStandardisation(Ch2Field field) {
        HeldOutSlab slab = HeldOutSlab.CH2;
        FieldStack training = FieldStack.ch2Slices(field, 0, field.slices());
        training = training.select(IntStream.range(0, training.size())
                .filter(k -> !slab.excludes(k) && k % STANDARDISATION_STEP == 0).toArray());
        return PatchFeatures.standardisation(features(training));
    }

    static List<double[]> features(FieldStack s) {
        List<boolean[]> masks = s.headMasks();
        return IntStream.range(0, s.size()).parallel()
                .mapToObj(i -> PatchFeatures.of(s.images().get(i), masks.get(i), FieldStack.SIZE, FieldStack.SIZE))
                .flatMap(List::stream).toList();
    }

    private static void kidRow(StringBuilder md, String label, List<double[]> a, List<double[]> b) {
        md.append(String.format(Locale.ROOT, "| %s | %d vs %d | %.2f |%n", label, a.size(), b.size(), 1000 * KernelDistance.unbiasedMmd2(a, b)));
    }

    private static void sharpness(StringBuilder md, FieldStack pooled, FieldStack heldOut, FieldStack near, FieldStack even, FieldStack odd) {
        PowerSpectrumRatio.Spectrum real = spectrum(heldOut);
        md.append("## Sharpness: radial power-spectrum ratio to real, inside the head\n\n");
        md.append("Mean power of Hann-windowed 32x32 mm patches (stride 16) lying wholly inside the head, by radial frequency band, "
                + "divided by the real held-out slab's. 1.0 = as much detail as real; below 1 blurrier, above 1 sharper or noisier.\n\n");
        md.append("| sets compared | ").append(String.join(" | ", PowerSpectrumRatio.BAND_NAMES)).append(" |\n|---|---|---|---|\n");
        spectrumRow(md, "synthetic (all seeds) at held-out positions / real held-out", spectrum(pooled), real);
        spectrumRow(md, "real " + NEAR_MM + " mm beyond the margin / real held-out", spectrum(near), real);
        spectrumRow(md, "real held-out even / odd slices", spectrum(even), spectrum(odd));
        md.append('\n');
    }

    static PowerSpectrumRatio.Spectrum spectrum(FieldStack s) {
        return PowerSpectrumRatio.of(s.images(), s.headMasks(), FieldStack.SIZE, FieldStack.SIZE);
    }

    private static void spectrumRow(StringBuilder md, String label, PowerSpectrumRatio.Spectrum a, PowerSpectrumRatio.Spectrum b) {
        double[] r = PowerSpectrumRatio.ratio(a, b);
        md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |%n", label, r[0], r[1], r[2]));
    }

    private static void labelFidelity(StringBuilder md, Ch2Field field, List<FieldStack> synthetic) {
        md.append("## Label fidelity: Dice between the labels and a tissue classification of the image\n\n");
        md.append("Each image set is classified by the method that made the ch2 labels: a 3-class Gaussian mixture with partial-volume "
                + "classes fitted on that set's cerebral voxels (labels CSF, cortical grey, white), split at its halfway thresholds, over every "
                + "brain voxel; labels merged into CSF / grey (cortical, deep, cerebellar cortex) / white (white matter, brainstem). Whole studies; "
                + "real ch2 at the same positions against its own labels.\n\n");
        md.append("| images | CSF | grey matter | white matter | mean | thresholds (CSF/grey, grey/white) |\n|---|---|---|---|---|---|\n");
        for (int s = 0; s < synthetic.size(); s++) {
            diceRow(md, "synthetic seed " + s + " vs its labels", LabelFidelity.of(synthetic.get(s).images(), synthetic.get(s).labels()));
        }
        FieldStack real = FieldStack.ch2Matching(field, synthetic.get(0));
        diceRow(md, "real ch2 at seed 0's positions vs its own labels", LabelFidelity.of(real.images(), real.labels()));
        md.append('\n');
    }

    private static void diceRow(StringBuilder md, String label, LabelFidelity.Result r) {
        md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.1f, %.1f |%n", label, r.dice()[0], r.dice()[1], r.dice()[2],
                r.meanDice(), r.csfGreyThreshold(), r.greyWhiteThreshold()));
    }

    private static void coherence(StringBuilder md, Ch2Field field, List<FieldStack> synthetic, double spacing) {
        md.append("## 3-D coherence: adjacent-plane correlation after a 3 mm high-pass\n\n");
        md.append("Each plane minus its own Gaussian blur (sigma ").append(SliceCoherence.HIGH_PASS_SIGMA_MM)
                .append(" mm, in-plane), Pearson correlation of adjacent planes over the brain (labels 2..7 in both), mean over pairs. "
                        + "Real: ch2 at the same positions and spacing. Goal: synthetic at least 0.8 of real.\n\n");
        md.append("| planes | spacing | synthetic (per seed) | real | synthetic / real |\n|---|---|---|---|---|\n");
        FieldStack real = FieldStack.ch2Matching(field, synthetic.get(0));
        coherenceRow(md, "axial", spacing, synthetic, real, SliceCoherence.Axis.AXIAL, 1);
        int step = (int) Math.round(4 / spacing);
        if (step > 1 && Math.abs(step * spacing - 4) < 1e-6) {
            coherenceRow(md, "axial, every " + step + "th slice", 4, synthetic, real, SliceCoherence.Axis.AXIAL, step);
        }
        if (Math.abs(spacing - SlabPlan.PIXEL_MM) < 1e-9) { // reformats need isotropic voxels for an in-plane blur
            coherenceRow(md, "coronal reformat", SlabPlan.PIXEL_MM, synthetic, real, SliceCoherence.Axis.CORONAL, 1);
            coherenceRow(md, "sagittal reformat", SlabPlan.PIXEL_MM, synthetic, real, SliceCoherence.Axis.SAGITTAL, 1);
        }
        md.append('\n');
    }

    private static void coherenceRow(StringBuilder md, String label, double spacing, List<FieldStack> synthetic, FieldStack real,
                                     SliceCoherence.Axis axis, int step) {
        double r = coherence(real.every(step), axis);
        double[] s = synthetic.stream().mapToDouble(x -> coherence(x.every(step), axis)).toArray();
        double mean = java.util.Arrays.stream(s).average().orElse(Double.NaN);
        StringBuilder per = new StringBuilder();
        for (double v : s) {
            per.append(per.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v));
        }
        md.append(String.format(Locale.ROOT, "| %s | %.0f mm | %s | %.3f | %.2f |%n", label, spacing, per, r, mean / r));
    }

    static double coherence(FieldStack s, SliceCoherence.Axis axis) {
        int n = FieldStack.SIZE;
        List<float[]> planes = SliceCoherence.reformat(s.images(), n, n, axis, float[]::new);
        List<boolean[]> masks = SliceCoherence.reformat(s.brainMasks(), n, n, axis, boolean[]::new);
        int rows = axis == SliceCoherence.Axis.AXIAL ? n : s.size();
        return SliceCoherence.adjacent(planes, masks, rows, SliceCoherence.planeColumns(axis, n, n), SlabPlan.PIXEL_MM);
    }

    private static void diversity(StringBuilder md, Ch2Field field, List<FieldStack> synthetic) {
        md.append("## Diversity: SSIM between studies at matched positions\n\n");
        md.append("Mean SSIM (11x11 Gaussian window, range 255) of slice i of one study against slice i of another (same height above "
                + "the brain's centroid), over the slices with at least 5% brain in both; lower = more different heads. Each seed against "
                + "real ch2 at the same positions for scale.\n\n| pair | slices | mean SSIM |\n|---|---|---|\n");
        for (int a = 0; a < synthetic.size(); a++) {
            for (int b = a + 1; b < synthetic.size(); b++) {
                ssimRow(md, "seed " + a + " vs seed " + b, synthetic.get(a), synthetic.get(b));
            }
        }
        for (int a = 0; a < synthetic.size(); a++) {
            ssimRow(md, "seed " + a + " vs real ch2", synthetic.get(a), FieldStack.ch2Matching(field, synthetic.get(a)));
        }
        md.append('\n');
    }

    private static void ssimRow(StringBuilder md, String label, FieldStack a, FieldStack b) {
        int[] both = IntStream.range(0, Math.min(a.size(), b.size()))
                .filter(i -> brainFraction(a.labels().get(i)) >= MIN_BRAIN_FRACTION && brainFraction(b.labels().get(i)) >= MIN_BRAIN_FRACTION).toArray();
        FieldStack x = a.select(both), y = b.select(both);
        md.append(String.format(Locale.ROOT, "| %s | %d | %.3f |%n", label, both.length,
                GeneratorQuality.meanMatchedSsim(x.images(), y.images(), FieldStack.SIZE)));
    }

    static double brainFraction(byte[] labels) {
        long n = 0;
        for (byte b : labels) {
            n += b >= TissueLabel.CSF.value() ? 1 : 0;
        }
        return (double) n / labels.length;
    }

    private static void audits(StringBuilder md, List<LabelledStudy.Result> studies, RendererCopyRisk risk) {
        md.append("## Memorisation\n\n");
        MemorisationAudit.Report r = risk.renderedVsTraining();
        md.append(String.format(Locale.ROOT, "**The renderer alone** (copy risk; issue 19 point 6): %s. Closest distance %.4f, median %.4f; "
                        + "%d of %d renderings at or below the threshold %.3f; %d of %d have the very slice they were rendered from as their nearest. "
                        + "For scale, a real training slice against the real slice 1 mm away: median %.4f, min %.4f.%n%n",
                r.metric(), r.closestDistance(), r.medianDistance(), r.rejected(), r.matches().size(), r.threshold(), risk.ownSliceNearest(),
                r.matches().size(), risk.medianNeighbourDistance(), risk.neighbourDistances().length == 0 ? Double.NaN : risk.neighbourDistances()[0]));
        // the reference planes depend on the renderer (SliceRenderer.reference), so the study's own metric says which
        String metric = studies.isEmpty() ? "" : ": " + studies.get(0).audit().metric();
        md.append("**The studies' own audits** (every slice as `synthesize` audits it" + metric + "):\n\n");
        md.append("| seed | slices | closest distance | median | redrawn (budget) | time to draw |\n|---|---|---|---|---|---|\n");
        for (LabelledStudy.Result s : studies) {
            md.append(String.format(Locale.ROOT, "| %d | %d | %.4f | %.4f | %d (%d) | %.1f s |%n", s.spec().seed(), s.images().size(),
                    s.audit().closestDistance(), s.audit().medianDistance(), s.redraws().size(), s.redrawBudget(), s.millis() / 1000.0));
        }
        md.append('\n');
    }
}
