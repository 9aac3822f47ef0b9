package io.scanenhancer.evaluation;

import io.scanenhancer.anatomy.Ch2TissueLabels;
import io.scanenhancer.anatomy.LabelVolume;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.volume.HeldOutSlab;
import io.scanenhancer.volume.NiftiVolume;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The image sets of the issue-20 protocol: the held-out slab of ch2 as acquired (T1), the same slices rendered in
 * other contrasts, and the out-of-domain acquisitions (the validation set). Inputs are not made here: each
 * {@link ProtocolInput} degrades the truth its own way.
 */
public final class ProtocolSets {
    /** Data range of the slab and its renderings: ch2's 8-bit range; the renderings are put on the same scale. */
    public static final double SLAB_RANGE = 255;

    /** One truth image and the pixels and range its PSNR uses. */
    public record Case(String name, FloatImage truth, boolean[] head, double dataRange) {
    }

    /**
     * @param validation the set a choice (such as a calibration factor) may be made on; the slab never is one
     */
    public record ImageSet(String name, String description, boolean validation, List<Case> cases) {
    }

    /** Renders a whole axial slice (labels and T1 intensities on ch2's grid, rows x columns) in another contrast. */
    public interface SliceRenderer {
        FloatImage render(byte[] labels, float[] t1, int height, int width);
    }

    /**
     * A contrast the slab is rendered in. The renderer's output is scaled by 255 (so 1 = ch2's full scale).
     *
     * @param rule the intensity rule, in words, for the report
     */
    public record Contrast(String name, String rule, SliceRenderer renderer) {
    }

    private ProtocolSets() {
    }

    /**
     * The slab (every {@code stride}-th slice of {@link HeldOutSlab#CH2}) as T1 and in each contrast, then the
     * out-of-domain set (at most {@code oodLimit} images, 0: all). Slab heads come from the tissue labels (not
     * background), so every contrast is scored on the same pixels, whatever it makes dark.
     */
    public static List<ImageSet> load(int stride, int oodLimit, List<Contrast> contrasts) throws IOException {
        return load(stride, oodLimit, contrasts, false);
    }

    /**
     * @param marginContrasts also the margins rendered in each contrast, as validation sets: a choice that must hold
     *                        for contrasts no training saw is then made without the slab's renderings
     */
    public static List<ImageSet> load(int stride, int oodLimit, List<Contrast> contrasts, boolean marginContrasts) throws IOException {
        NiftiVolume ch2 = NiftiVolume.read(EvaluationSets.CH2);
        LabelVolume labels = Ch2TissueLabels.load();
        List<Case> t1 = new ArrayList<>();
        for (int k = HeldOutSlab.CH2.firstSlice() + stride / 2; k < HeldOutSlab.CH2.endSlice(); k += stride) {
            t1.add(axial(ch2, labels, k));
        }
        String slices = "axial slices " + HeldOutSlab.CH2.firstSlice() + ".." + (HeldOutSlab.CH2.endSlice() - 1)
                + ", every " + stride + (stride == 1 ? "" : "th") + " (" + t1.size() + ")";
        List<ImageSet> sets = new ArrayList<>();
        ImageSet slab = new ImageSet("slab T1", "held-out slab of ch2.nii.gz as acquired (T1), " + slices, false, t1);
        sets.add(slab);
        for (Contrast contrast : contrasts) {
            sets.add(rendered(slab, "slab " + contrast.name(), "the same slices rendered " + contrast.rule(), ch2, labels, contrast));
        }
        ImageSet margins = margins(ch2, labels, stride);
        sets.add(margins);
        if (marginContrasts) {
            for (Contrast contrast : contrasts) {
                sets.add(rendered(margins, "margin " + contrast.name(), "validation: the margin slices rendered " + contrast.rule(),
                        ch2, labels, contrast));
            }
        }
        sets.add(outOfDomain(oodLimit));
        return sets;
    }

    /**
     * ch2's axial slices between the held-out slab and the training slices ({@link HeldOutSlab#marginRuns}, which no
     * training uses), every {@code stride}-th: the in-domain validation set, beside the out-of-domain one, for choices
     * that must hold for both (the spread's noise floor). Its figures are validation figures, not the slab's.
     */
    static ImageSet margins(NiftiVolume ch2, LabelVolume labels, int stride) {
        List<Case> cases = new ArrayList<>();
        int[][] runs = HeldOutSlab.CH2.marginRuns();
        for (int[] run : runs) {
            for (int i = stride / 2; i < run.length; i += stride) {
                cases.add(axial(ch2, labels, run[i]));
            }
        }
        return new ImageSet("margin T1", "validation: ch2 axial slices " + runs[0][0] + ".." + runs[0][runs[0].length - 1] + " and "
                + runs[1][0] + ".." + runs[1][runs[1].length - 1] + " (the slab's margins, never trained on), every " + stride
                + (stride == 1 ? "" : "th") + " (" + cases.size() + ")", true, cases);
    }

    /** The cases of {@code set} (ch2 axial slices) rendered in {@code contrast}, on the same head pixels. */
    static ImageSet rendered(ImageSet set, String name, String description, NiftiVolume ch2, LabelVolume labels, Contrast contrast) {
        List<Case> cases = new ArrayList<>();
        for (Case real : set.cases()) {
            int k = Integer.parseInt(real.name().substring("ch2 axial ".length()));
            FloatImage r = contrast.renderer().render(labels.axial(k), ch2.axial(k), ch2.ny(), ch2.nx());
            cases.add(new Case(real.name(), scaled(r, SLAB_RANGE).croppedToEven(), real.head(), SLAB_RANGE));
        }
        return new ImageSet(name, description, set.validation(), cases);
    }

    /** ch2's axial slice k as acquired, its head from the tissue labels. */
    private static Case axial(NiftiVolume ch2, LabelVolume labels, int k) {
        FloatImage truth = new FloatImage(ch2.ny(), ch2.nx(), ch2.axial(k)).croppedToEven();
        return new Case("ch2 axial " + k, truth, KspaceBaseline.headMask(labels.axial(k), ch2.nx(), truth.height(), truth.width()), SLAB_RANGE);
    }

    /**
     * The real out-of-domain acquisitions. An image with negative values (CT in Hounsfield units) is shifted to
     * minimum 0 first: k-space degradation takes a magnitude, which only a non-negative image survives; PSNR and
     * bicubic do not change under a shift.
     */
    static ImageSet outOfDomain(int limit) throws IOException {
        List<EvaluationCase> all = EvaluationSets.outOfDomain();
        List<Case> cases = new ArrayList<>();
        for (EvaluationCase c : all.subList(0, limit > 0 ? Math.min(limit, all.size()) : all.size())) {
            cases.add(new Case(c.name(), nonNegative(c.truth()), c.headMask(), c.dataRange()));
        }
        return new ImageSet("out of domain", "real acquisitions from Debian's test data (the validation set); head: above 10% "
                + "of the 1st-99th percentile range", true, cases);
    }

    static FloatImage nonNegative(FloatImage img) {
        float min = Float.POSITIVE_INFINITY;
        for (float v : img.pixels()) {
            min = Math.min(min, v);
        }
        if (min >= 0) {
            return img;
        }
        float[] out = new float[img.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = img.pixels()[i] - min;
        }
        return new FloatImage(img.height(), img.width(), out);
    }

    private static FloatImage scaled(FloatImage img, double factor) {
        float[] out = new float[img.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (img.pixels()[i] * factor);
        }
        return new FloatImage(img.height(), img.width(), out);
    }
}
