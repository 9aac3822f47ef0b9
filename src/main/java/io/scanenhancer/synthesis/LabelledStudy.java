package io.scanenhancer.synthesis;

import io.scanenhancer.anatomy.DeformedAnatomy;
import io.scanenhancer.anatomy.RandomAnatomy;
import io.scanenhancer.anatomy.SourceAnatomy;
import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.training.LabelSlice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A synthetic study from a deformed label volume: draw the head ({@link RandomAnatomy}), place the slab
 * ({@link SlabPlan}), cut the label slices and render them ({@link SliceRenderer}), audit every slice against the
 * undeformed source's planes as the renderer gives them ({@link #referenceAudit}), and redraw what the audit rejects:
 * a new random deformation in a Gaussian window around the rejected slice ({@link DeformedAnatomy#withLocalRedraws};
 * window sigma max({@value #REDRAW_SIGMA_MM} mm, the spacing), white noise smoothed by {@value #REDRAW_SMOOTHING_MM}
 * mm, peak {@value #REDRAW_PEAK_MM} mm) and, unless the renderer shares its noise across slices, new noise; then every
 * slice is cut and rendered again from the one new head, so images, labels and segmentation stay one consistent
 * volume. Limits: {@link Redraws}.
 */
public final class LabelledStudy {
    static final double REDRAW_SIGMA_MM = 4;
    static final double REDRAW_SMOOTHING_MM = 12, REDRAW_PEAK_MM = 8;
    /** Audit resolution: 4 mm pixels, as the generator's audit. */
    static final int AUDIT_FACTOR = 4;
    /** Source planes with less head than this fraction of the field are not audit references (as for the generator). */
    static final double MIN_HEAD_FRACTION = 0.04;

    /**
     * @param labels  one label map per slice (plan.rows x plan.columns, display orientation)
     * @param images  the rendered slices, 0..255
     * @param audit   every published slice's final verdict (none rejected)
     * @param redraws every redraw, in order
     */
    public record Result(StudySpec spec, DeformedAnatomy anatomy, SlabPlan plan, List<byte[]> labels, List<float[]> images,
                         MemorisationAudit.Report audit, List<Redraws.Redraw> redraws, int redrawBudget, long millis) {
    }

    private LabelledStudy() {
    }

    public static Result draw(SourceAnatomy source, SliceRenderer renderer, MemorisationAudit audit, StudySpec spec) {
        long start = System.nanoTime();
        DeformedAnatomy anatomy = RandomAnatomy.draw(source, spec.seed());
        SlabPlan plan = SlabPlan.of(spec, anatomy.extent());
        int n = spec.count();
        Redraws redraws = new Redraws(n);
        List<byte[]> labels = new ArrayList<>(n);
        List<float[]> images = new ArrayList<>(n);
        cut(anatomy, plan, renderer, spec.seed(), redraws, labels, images);
        List<MemorisationAudit.Match> verdicts = new ArrayList<>(IntStream.range(0, n).parallel()
                .mapToObj(i -> audit.match(auditImage(images.get(i), plan.columns()))).toList());
        double sigma = Math.max(REDRAW_SIGMA_MM, plan.spacingMm());
        while (true) {
            List<DeformedAnatomy.LocalRedraw> round = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (verdicts.get(i).rejected()) {
                    int attempt = redraws.take(i, verdicts.get(i));
                    round.add(new DeformedAnatomy.LocalRedraw(plan.z()[i], sigma, REDRAW_SMOOTHING_MM, REDRAW_PEAK_MM, redrawSeed(spec.seed(), i, attempt)));
                }
            }
            if (round.isEmpty()) {
                break;
            }
            anatomy = anatomy.withLocalRedraws(round);
            List<float[]> before = new ArrayList<>(images);
            cut(anatomy, plan, renderer, spec.seed(), redraws, labels, images);
            List<MemorisationAudit.Match> previous = List.copyOf(verdicts);
            verdicts = new ArrayList<>(IntStream.range(0, n).parallel().mapToObj(i -> Arrays.equals(before.get(i), images.get(i))
                    ? previous.get(i) : audit.match(auditImage(images.get(i), plan.columns()))).toList());
        }
        List<MemorisationAudit.Match> numbered = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            MemorisationAudit.Match m = verdicts.get(i);
            numbered.add(new MemorisationAudit.Match(i, m.nearestTrainingSlice(), m.distance(), m.rejected()));
        }
        MemorisationAudit.Report report = new MemorisationAudit.Report(audit.metric(), audit.threshold(), audit.trainingSlices(), numbered);
        return new Result(spec, anatomy, plan, List.copyOf(labels), List.copyOf(images), report, redraws.done(), redraws.budget(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Cuts and renders every slice of the plan from the head (replacing the lists' contents); slices in parallel,
     * each from its own seed, so the result does not depend on the threads.
     */
    private static void cut(DeformedAnatomy anatomy, SlabPlan plan, SliceRenderer renderer, long seed, Redraws redraws,
                            List<byte[]> labels, List<float[]> images) {
        int[] attempts = IntStream.range(0, plan.z().length).map(redraws::attempts).toArray();
        double[] offsets = renderer.neighbourOffsetsMm();
        List<LabelSlice> slices = IntStream.range(0, plan.z().length).parallel().mapToObj(i -> slice(anatomy, plan, plan.z()[i], offsets)).toList();
        // shared noise: redraws change the anatomy only, so a redrawn slice stays coherent with its neighbours
        boolean shared = renderer.sharesNoiseAcrossSlices();
        List<float[]> rendered = IntStream.range(0, slices.size()).parallel()
                .mapToObj(i -> shared ? renderer.render(slices.get(i), StudyNoise.at(seed, plan.z()[i], renderer.noiseTurnMm()))
                        : renderer.render(slices.get(i), noiseSeed(seed, i, attempts[i]))).toList();
        labels.clear();
        images.clear();
        slices.forEach(sl -> labels.add(sl.labels()));
        images.addAll(rendered);
    }

    static LabelSlice slice(DeformedAnatomy anatomy, SlabPlan plan, double z) {
        return slice(anatomy, plan, z, new double[0]);
    }

    /** The slice at z, with the label planes at z + each offset ({@link SliceRenderer#neighbourOffsetsMm()}). */
    static LabelSlice slice(DeformedAnatomy anatomy, SlabPlan plan, double z, double[] offsets) {
        byte[] l = new byte[plan.rows() * plan.columns()];
        float[] t1 = new float[l.length];
        anatomy.axial(plan.x0(), plan.y0(), z, plan.rows(), plan.columns(), plan.pixelSpacingMm(), l, t1);
        byte[][] neighbours = new byte[offsets.length][];
        for (int i = 0; i < offsets.length; i++) {
            neighbours[i] = new byte[l.length];
            anatomy.axial(plan.x0(), plan.y0(), z + offsets[i], plan.rows(), plan.columns(), plan.pixelSpacingMm(), neighbours[i], new float[l.length]);
        }
        return new LabelSlice(plan.rows(), plan.columns(), l, t1, neighbours);
    }

    /**
     * The audit of a renderer: the undeformed source cut at each of its own axial planes that holds enough head,
     * in the same field and orientation as a study's slices, as the renderer gives it ({@link SliceRenderer#reference}:
     * rendered by it, or the real plane for a renderer trained to reproduce it). A synthetic slice close
     * to one of these is a copy of the source's anatomy, whatever the contrast.
     */
    public static MemorisationAudit referenceAudit(SourceAnatomy source, SliceRenderer renderer, double threshold) {
        DeformedAnatomy identity = RandomAnatomy.identity(source);
        double[] c = source.brainCentroid();
        double[] s = source.labels().grid().srow();
        SlabPlan field = SlabPlan.of(new StudySpec(1, 1.0, 0, StudySpec.Renderer.LABELS), identity.extent());
        List<float[]> references = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (int k = 0; k < source.labels().nz(); k++) {
            double z = s[10] * k + s[11] - c[2]; // the identity puts the source's brain centroid at the origin
            LabelSlice slice = slice(identity, field, z, renderer.neighbourOffsetsMm());
            long head = 0;
            for (byte b : slice.labels()) {
                head += b == TissueLabel.BACKGROUND.value() ? 0 : 1;
            }
            if (head >= MIN_HEAD_FRACTION * slice.labels().length) {
                references.add(auditImage(renderer.reference(slice, k), field.columns()));
                indices.add(k);
            }
        }
        String metric = "1 - max NCC over shifts of up to 2 pixels (8 mm) and a left-right mirror, at 4 mm pixels, against the "
                + references.size() + " axial planes of the undeformed source (ch2) " + renderer.referenceDescription();
        return new MemorisationAudit(references, indices.stream().mapToInt(Integer::intValue).toArray(),
                field.columns() / AUDIT_FACTOR, threshold, metric);
    }

    /** Box average by {@value #AUDIT_FACTOR}: the square image at the audit's 4 mm pixels. */
    static float[] auditImage(float[] image, int size) {
        int out = size / AUDIT_FACTOR;
        float[] low = new float[out * out];
        for (int y = 0; y < out; y++) {
            for (int x = 0; x < out; x++) {
                double sum = 0;
                for (int dy = 0; dy < AUDIT_FACTOR; dy++) {
                    for (int dx = 0; dx < AUDIT_FACTOR; dx++) {
                        sum += image[(y * AUDIT_FACTOR + dy) * size + x * AUDIT_FACTOR + dx];
                    }
                }
                low[y * out + x] = (float) (sum / (AUDIT_FACTOR * AUDIT_FACTOR));
            }
        }
        return low;
    }

    static long noiseSeed(long seed, int slice, int attempt) {
        return RandomSeeds.of(seed, "noise", slice, attempt);
    }

    static long redrawSeed(long seed, int slice, int attempt) {
        return RandomSeeds.of(seed, "redraw", slice, attempt);
    }
}
