package io.scanenhancer.synthesis;

import io.scanenhancer.anatomy.TissueLabel;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack of axial slices in a study's field ({@link SlabPlan}: {@value SlabPlan#SIZE} x {@value SlabPlan#SIZE}, 1 mm
 * pixels, rows toward posterior, columns toward the patient's left), with their labels and each slice's height above
 * the brain's centroid in mm: a synthetic study, or real ch2 cut the same way ({@link Ch2Field}). What the quality
 * measures of {@link SynthesisEvaluation} compare.
 */
public record FieldStack(List<float[]> images, List<byte[]> labels, double[] offsetsMm) {
    public static final int SIZE = SlabPlan.SIZE;

    public FieldStack {
        if (images.size() != labels.size() || images.size() != offsetsMm.length) {
            throw new IllegalArgumentException("images, labels and offsets differ in number");
        }
    }

    /** A labelled study's slices, with offsets from its plan. */
    public static FieldStack of(LabelledStudy.Result study) {
        SlabPlan plan = study.plan();
        double[] offsets = new double[plan.z().length];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = plan.z()[i] - plan.brainZ();
        }
        return new FieldStack(study.images(), study.labels(), offsets);
    }

    /** ch2's slices at the same offsets as {@code like} (nearest slice to each). */
    public static FieldStack ch2Matching(Ch2Field field, FieldStack like) {
        List<float[]> images = new ArrayList<>();
        List<byte[]> labels = new ArrayList<>();
        double[] offsets = new double[like.size()];
        for (int i = 0; i < like.size(); i++) {
            int k = field.sliceAt(like.offsetsMm()[i]);
            var s = field.slice(k);
            images.add(s.t1());
            labels.add(s.labels());
            offsets[i] = field.offsetOf(k);
        }
        return new FieldStack(images, labels, offsets);
    }

    /** ch2's slices k in [from, to). */
    public static FieldStack ch2Slices(Ch2Field field, int from, int to) {
        List<float[]> images = new ArrayList<>();
        List<byte[]> labels = new ArrayList<>();
        double[] offsets = new double[to - from];
        for (int k = from; k < to; k++) {
            var s = field.slice(k);
            images.add(s.t1());
            labels.add(s.labels());
            offsets[k - from] = field.offsetOf(k);
        }
        return new FieldStack(images, labels, offsets);
    }

    public int size() {
        return images.size();
    }

    /** The slices at the given indices, in that order. */
    public FieldStack select(int[] indices) {
        List<float[]> im = new ArrayList<>();
        List<byte[]> la = new ArrayList<>();
        double[] off = new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            im.add(images.get(indices[i]));
            la.add(labels.get(indices[i]));
            off[i] = offsetsMm[indices[i]];
        }
        return new FieldStack(im, la, off);
    }

    /** Every {@code step}-th slice from the first. */
    public FieldStack every(int step) {
        return select(java.util.stream.IntStream.range(0, size()).filter(i -> i % step == 0).toArray());
    }

    /** This stack followed by another's slices. */
    public FieldStack concat(FieldStack other) {
        List<float[]> im = new ArrayList<>(images);
        List<byte[]> la = new ArrayList<>(labels);
        im.addAll(other.images);
        la.addAll(other.labels);
        double[] off = java.util.Arrays.copyOf(offsetsMm, size() + other.size());
        System.arraycopy(other.offsetsMm, 0, off, size(), other.size());
        return new FieldStack(im, la, off);
    }

    /** Per slice: true where the label is not background (the head). */
    public List<boolean[]> headMasks() {
        return masksFrom(TissueLabel.NON_BRAIN_HEAD.value());
    }

    /** Per slice: true where the label is brain (CSF and the tissues inside the brain mask). */
    public List<boolean[]> brainMasks() {
        return masksFrom(TissueLabel.CSF.value());
    }

    /** Label values are ordered so that the head is 1 and up and the brain 2 and up ({@link TissueLabel}). */
    private List<boolean[]> masksFrom(int min) {
        List<boolean[]> out = new ArrayList<>(size());
        for (byte[] l : labels) {
            boolean[] m = new boolean[l.length];
            for (int p = 0; p < l.length; p++) {
                m[p] = l[p] >= min;
            }
            out.add(m);
        }
        return out;
    }
}
