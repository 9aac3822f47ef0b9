package io.scanenhancer.synthesis;

import io.scanenhancer.dicom.SyntheticSeriesWriter;
import io.scanenhancer.training.LabelSlice;
import io.scanenhancer.training.SequenceContrast;

import java.util.Random;

/**
 * STAND-IN for the trained label-conditioned diffusion renderer ({@link DiffusionLabelRenderer}, the default), kept
 * as the fast option ({@code --renderer labels}, 0.02 s a slice against about 2 s): the T1 spin-echo signal equation
 * of {@link SequenceContrast} (TR 500 ms, TE 12 ms, 1.5 T relaxation times) on the deformed labels, with ch2's own
 * T1 intensity at each point (deformed with the labels) read as the partial-volume mix of CSF, grey and white matter,
 * then Rician noise (complex Gaussian of {@value #NOISE} of full scale per channel, seeded per slice). It is physics
 * and ch2's texture, not a learned model; its outputs say so.
 */
public final class T1StandInRenderer implements SliceRenderer {
    public static final String ID = "t1-spin-echo-physics-stand-in";
    public static final String VERSION = "1";
    /** Full scale of the output: the brightest tissue (fat) renders at this value of 0..255. */
    static final float FULL_SCALE = 200;
    static final double NOISE = 0.01;
    public static final String SERIES_DESCRIPTION = "SYNTHETIC MR T1 (STAND-IN RENDERER) - NOT REAL PATIENT DATA";

    private final double[] pureMeans;

    /** @param pureMeans ch2's pure CSF, grey and white matter T1 levels (labels.json made_by.fit_means) */
    public T1StandInRenderer(double[] pureMeans) {
        this.pureMeans = pureMeans.clone();
    }

    @Override
    public SyntheticSeriesWriter.Model model() {
        return new SyntheticSeriesWriter.Model(ID, VERSION, "STAND-IN renderer, not the diffusion renderer: T1 spin-echo signal equation "
                + "(TR 500 ms, TE 12 ms, 1.5 T relaxation times) on deformed ch2 tissue labels, ch2's T1 texture as partial volume, Rician noise "
                + NOISE * 100 + "% of full scale");
    }

    @Override
    public boolean standIn() {
        return true;
    }

    @Override
    public String seriesDescription() {
        return SERIES_DESCRIPTION;
    }

    @Override
    public float[] render(LabelSlice slice, long seed) {
        float[] clean = SequenceContrast.render(slice, SequenceContrast.Sequence.T1_SE, pureMeans).pixels();
        Random random = new Random(seed);
        float[] out = new float[clean.length];
        double sigma = NOISE * FULL_SCALE;
        for (int p = 0; p < out.length; p++) {
            double re = clean[p] * FULL_SCALE + sigma * random.nextGaussian(), im = sigma * random.nextGaussian();
            out[p] = (float) Math.sqrt(re * re + im * im);
        }
        return out;
    }
}
