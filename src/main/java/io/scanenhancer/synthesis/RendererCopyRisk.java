package io.scanenhancer.synthesis;

import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.training.LabelSlice;
import io.scanenhancer.volume.HeldOutSlab;

import java.util.ArrayList;
import java.util.List;

/**
 * The memorisation audit of a renderer alone (issue 19, point 6): the renderer is given the UNDEFORMED training labels
 * of ch2, slice by slice, and each rendering is compared with the real training images by the study audit's distance
 * (1 - max NCC over shifts and a mirror at 4 mm pixels). A renderer that, given the very labels it saw in training,
 * reproduces the training image more closely than real neighbouring slices resemble each other carries that copy
 * risk into every study whose deformation is small; the deformation is then the only thing between the output and a
 * training image.
 *
 * @param renderedVsTraining every rendered training slice's nearest real training image
 * @param neighbourDistances each real training slice against the real slice 1 mm above it: how alike real slices
 *                           that close are (what the threshold is calibrated on)
 * @param ownSliceNearest    renderings whose nearest real training image is the slice they were rendered from
 */
public record RendererCopyRisk(MemorisationAudit.Report renderedVsTraining, double[] neighbourDistances, int ownSliceNearest) {

    /** Real slices with less head than this fraction of the field are not used (as the study audit). */
    static final double MIN_HEAD_FRACTION = LabelledStudy.MIN_HEAD_FRACTION;

    public static RendererCopyRisk measure(Ch2Field field, SliceRenderer renderer, double threshold) {
        HeldOutSlab slab = HeldOutSlab.CH2;
        int size = SlabPlan.SIZE / LabelledStudy.AUDIT_FACTOR;
        List<Integer> ks = new ArrayList<>();
        List<float[]> real = new ArrayList<>();
        List<LabelSlice> slices = new ArrayList<>();
        for (int k = 0; k < field.slices(); k++) {
            if (slab.excludes(k)) {
                continue;
            }
            LabelSlice s = field.slice(k, renderer.neighbourOffsetsMm());
            long head = 0;
            for (byte b : s.labels()) {
                head += b == TissueLabel.BACKGROUND.value() ? 0 : 1;
            }
            if (head >= MIN_HEAD_FRACTION * s.labels().length) {
                ks.add(k);
                slices.add(s);
                real.add(LabelledStudy.auditImage(s.t1(), SlabPlan.SIZE));
            }
        }
        int[] indices = ks.stream().mapToInt(Integer::intValue).toArray();
        String metric = "1 - max NCC over shifts of up to 2 pixels (8 mm) and a left-right mirror, at 4 mm pixels, of " + renderer.model().id()
                + "'s rendering of ch2's undeformed training labels against the " + indices.length + " real training slices";
        MemorisationAudit audit = new MemorisationAudit(real, indices, size, threshold, metric);
        List<float[]> rendered = java.util.stream.IntStream.range(0, slices.size()).parallel()
                .mapToObj(i -> LabelledStudy.auditImage(renderer.render(slices.get(i), indices[i]), SlabPlan.SIZE)).toList();
        List<MemorisationAudit.Match> matches = java.util.stream.IntStream.range(0, rendered.size()).parallel()
                .mapToObj(i -> {
                    MemorisationAudit.Match m = audit.match(rendered.get(i));
                    return new MemorisationAudit.Match(indices[i], m.nearestTrainingSlice(), m.distance(), m.rejected());
                }).toList();
        int own = (int) matches.stream().filter(m -> m.slice() == m.nearestTrainingSlice()).count();
        List<Double> neighbours = new ArrayList<>();
        for (int i = 0; i + 1 < indices.length; i++) {
            if (indices[i + 1] == indices[i] + 1) {
                neighbours.add(1 - MemorisationAudit.maxCorrelation(real.get(i), real.get(i + 1), size));
            }
        }
        return new RendererCopyRisk(new MemorisationAudit.Report(metric, threshold, indices.length, matches),
                neighbours.stream().mapToDouble(Double::doubleValue).sorted().toArray(), own);
    }

    public double medianNeighbourDistance() {
        double[] d = neighbourDistances;
        return d.length == 0 ? Double.NaN : d[d.length / 2];
    }
}
