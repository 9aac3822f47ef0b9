package io.scanenhancer.training;

import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.image.FloatImage;

/**
 * Fixed validation renderers with intensity rules unlike both ch2's T1 and {@link ContrastRandomisation}: the
 * spin-echo and inversion-recovery signal equations with textbook relaxation times at 1.5 T,
 * S = PD (1 - exp(-TR/T1)) exp(-TE/T2) and, for FLAIR, S = PD |1 - 2 exp(-TI/T1) + exp(-TR/T1)| exp(-TE/T2).
 *
 * <p>They are not flat cartoons: inside the brain each voxel's ch2 T1 intensity is read as a partial-volume mix of
 * CSF, grey and white matter (linear between the pure-tissue means of the ch2 tissue fit, clamped), and the voxel
 * gets the same mix of the three signals, so sulci, partial volume and small structures carry over with the new
 * contrast (and the order of the tissues changes as the physics says). In the deep nuclei the grey-matter end is the
 * nuclei's own tissue (so the bright, iron-rich pallidum comes out darker on T2, as it does). Outside the brain the T1
 * intensity is scaled to fat's signal: fat and marrow stay bright, muscle and bone dark, but extracerebral CSF and the
 * eyes outside ch2bet's mask, which are dark on T1, stay dark (the one known error of these renderings).
 */
public final class SequenceContrast {
    /** Relaxation times (ms) and proton density of one tissue. */
    record Tissue(double t1, double t2, double pd) {
    }

    static final Tissue CSF = new Tissue(4000, 2000, 1.0);
    static final Tissue GREY = new Tissue(1100, 100, 0.80);
    static final Tissue WHITE = new Tissue(650, 75, 0.70);
    static final Tissue DEEP_GREY = new Tissue(1000, 70, 0.80);
    static final Tissue FAT = new Tissue(260, 80, 0.90);
    /** ch2's scalp fat is about this bright on its 0..255 scale. */
    static final double T1_FAT_LEVEL = 200;

    /** A sequence and its timing (ms); inversion time 0 = spin echo. */
    public enum Sequence {
        T1_SE(500, 12, 0), T2_SE(4000, 100, 0), PD_SE(3000, 15, 0), FLAIR(9000, 120, 2500);

        final double tr, te, ti;

        Sequence(double tr, double te, double ti) {
            this.tr = tr;
            this.te = te;
            this.ti = ti;
        }

        /** "TR 4000 TE 100 ms" (and TI for inversion recovery): the timing, for reports. */
        public String timing() {
            return "TR " + (int) tr + " TE " + (int) te + (ti > 0 ? " TI " + (int) ti : "") + " ms";
        }

        double signal(Tissue t) {
            double recovery = ti > 0
                    ? Math.abs(1 - 2 * Math.exp(-ti / t.t1()) + Math.exp(-tr / t.t1()))
                    : 1 - Math.exp(-tr / t.t1());
            return t.pd() * recovery * Math.exp(-te / t.t2());
        }
    }

    private SequenceContrast() {
    }

    /**
     * Renders {@code slice} (which must carry its T1 image) as {@code sequence}, scaled so that the brightest of CSF,
     * grey, white matter and fat is 1. {@code t1PureMeans}: ch2's pure CSF, grey and white matter levels (the
     * tissue fit's means, models/ch2-tissue-labels/labels.json).
     */
    public static FloatImage render(LabelSlice slice, Sequence sequence, double[] t1PureMeans) {
        if (slice.t1() == null) {
            throw new IllegalArgumentException("the fixed renderers borrow the T1 texture: the slice needs its T1 image");
        }
        double csf = sequence.signal(CSF), grey = sequence.signal(GREY), white = sequence.signal(WHITE),
                deep = sequence.signal(DEEP_GREY), fat = sequence.signal(FAT);
        double scale = Math.max(Math.max(csf, grey), Math.max(white, fat));
        double muC = t1PureMeans[0], muG = t1PureMeans[1], muW = t1PureMeans[2];
        float[] out = new float[slice.labels().length];
        for (int p = 0; p < out.length; p++) {
            int l = slice.labels()[p];
            double i = slice.t1()[p], s;
            if (l == TissueLabel.BACKGROUND.value()) {
                s = 0;
            } else if (l == TissueLabel.NON_BRAIN_HEAD.value()) {
                s = fat * i / T1_FAT_LEVEL;
            } else {
                double g = l == TissueLabel.DEEP_GREY_MATTER.value() ? deep : grey;
                if (i <= muC) {
                    s = csf;
                } else if (i <= muG) {
                    double f = (i - muC) / (muG - muC);
                    s = (1 - f) * csf + f * g;
                } else if (i <= muW) {
                    double f = (i - muG) / (muW - muG);
                    s = (1 - f) * g + f * white;
                } else {
                    s = white;
                }
            }
            out[p] = (float) (s / scale);
        }
        return new FloatImage(slice.height(), slice.width(), out);
    }
}
