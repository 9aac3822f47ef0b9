package io.scanenhancer.evaluation;

import io.scanenhancer.anatomy.GaussianMixture;
import io.scanenhancer.anatomy.TissueLabel;

import java.util.List;

/**
 * Label fidelity: does an image show the tissue its label map says? The image is classified the way the ch2 labels
 * were made ({@link io.scanenhancer.anatomy.Ch2TissueLabels}): a three-class Gaussian mixture with partial-volume
 * classes ({@link GaussianMixture#fitWithPartialVolume}), fitted on the histogram of the cerebral voxels (labels CSF,
 * cortical grey and white matter), and its two halfway thresholds split every brain voxel (labels 2..7) into CSF,
 * grey and white matter. Fitting on the image itself makes the measure blind to the renderer's intensity scale and
 * sensitive only to whether the tissues are told apart where the labels put them. The labels are merged into the same
 * three tissues (CSF; grey = cortical, deep grey and cerebellar cortex; white = white matter and brainstem) and the
 * Dice coefficient 2|A and B| / (|A| + |B|) is reported per tissue.
 */
public final class LabelFidelity {
    public static final String[] TISSUES = {"CSF", "grey matter", "white matter"};
    static final int ITERATIONS = 5000;

    /** Dice per tissue (index as {@link #TISSUES}) and the fitted thresholds. */
    public record Result(double[] dice, double csfGreyThreshold, double greyWhiteThreshold, long brainVoxels) {
        public double meanDice() {
            return (dice[0] + dice[1] + dice[2]) / 3;
        }
    }

    private LabelFidelity() {
    }

    /** The three-tissue class of a label value, or -1 outside the brain. */
    public static int tissueOf(int label) {
        if (label == TissueLabel.CSF.value()) {
            return 0;
        }
        if (label == TissueLabel.CORTICAL_GREY_MATTER.value() || label == TissueLabel.DEEP_GREY_MATTER.value()
                || label == TissueLabel.CEREBELLAR_CORTEX.value()) {
            return 1;
        }
        if (label == TissueLabel.WHITE_MATTER.value() || label == TissueLabel.BRAINSTEM.value()) {
            return 2;
        }
        return -1;
    }

    private static boolean cerebral(int label) {
        return label == TissueLabel.CSF.value() || label == TissueLabel.CORTICAL_GREY_MATTER.value()
                || label == TissueLabel.WHITE_MATTER.value();
    }

    /** Classifies the images (values in 0..255) by a mixture fitted on them and compares with their labels. */
    public static Result of(List<float[]> images, List<byte[]> labels) {
        double[] histogram = new double[256];
        for (int s = 0; s < images.size(); s++) {
            float[] img = images.get(s);
            byte[] lab = labels.get(s);
            for (int p = 0; p < img.length; p++) {
                if (cerebral(lab[p])) {
                    histogram[bin(img[p])]++;
                }
            }
        }
        double[] grey = new double[256];
        java.util.Arrays.setAll(grey, i -> i);
        GaussianMixture.Fit fit = GaussianMixture.fitWithPartialVolume(grey, histogram,
                new double[] {percentile(histogram, 0.02), percentile(histogram, 0.5), percentile(histogram, 0.95)}, ITERATIONS);
        double[] t = fit.halfwayThresholds();
        return withThresholds(images, labels, t[0], t[1]);
    }

    /** Dice per tissue with given CSF/grey and grey/white thresholds. */
    public static Result withThresholds(List<float[]> images, List<byte[]> labels, double csfGrey, double greyWhite) {
        long[] both = new long[3], labelled = new long[3], classified = new long[3];
        long brain = 0;
        for (int s = 0; s < images.size(); s++) {
            float[] img = images.get(s);
            byte[] lab = labels.get(s);
            for (int p = 0; p < img.length; p++) {
                int truth = tissueOf(lab[p]);
                if (truth < 0) {
                    continue;
                }
                brain++;
                int found = img[p] < csfGrey ? 0 : img[p] < greyWhite ? 1 : 2;
                labelled[truth]++;
                classified[found]++;
                if (found == truth) {
                    both[truth]++;
                }
            }
        }
        double[] dice = new double[3];
        for (int c = 0; c < 3; c++) {
            dice[c] = dice(both[c], labelled[c], classified[c]);
        }
        return new Result(dice, csfGrey, greyWhite, brain);
    }

    /** 2|A and B| / (|A| + |B|); 1 when both are empty (nothing to disagree on). */
    public static double dice(long both, long a, long b) {
        return a + b == 0 ? 1 : 2.0 * both / (a + b);
    }

    /** Dice of one label value between two label maps of the same shape. */
    public static double dice(byte[] a, byte[] b, int label) {
        long both = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            boolean x = a[i] == label, y = b[i] == label;
            na += x ? 1 : 0;
            nb += y ? 1 : 0;
            both += x && y ? 1 : 0;
        }
        return dice(both, na, nb);
    }

    private static int bin(float v) {
        return Math.min(255, Math.max(0, Math.round(v)));
    }

    private static double percentile(double[] histogram, double fraction) {
        double total = java.util.Arrays.stream(histogram).sum(), run = 0;
        for (int i = 0; i < histogram.length; i++) {
            run += histogram[i];
            if (run >= fraction * total) {
                return i;
            }
        }
        return histogram.length - 1;
    }
}
