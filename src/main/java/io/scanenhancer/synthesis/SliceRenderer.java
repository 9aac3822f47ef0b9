package io.scanenhancer.synthesis;

import io.scanenhancer.diffusion.NoiseBlend;

import io.scanenhancer.dicom.SyntheticSeriesWriter;
import io.scanenhancer.training.LabelSlice;

/**
 * Turns one axial label slice of a synthetic head into an MR image. The trained label-conditioned diffusion renderer
 * is {@link DiffusionLabelRenderer} (synthesize's default); {@link T1StandInRenderer} is the fast physics stand-in,
 * and says so.
 */
public interface SliceRenderer {
    /** Id, version and what it does, for Contributing Equipment and the result event. */
    SyntheticSeriesWriter.Model model();

    /**
     * True for a renderer that is not the trained one: every output then says so (Series Description, Image Comments,
     * the audit report and the result's method).
     */
    boolean standIn();

    /** Series Description of its images: at most 64 characters, says SYNTHETIC. */
    String seriesDescription();

    /**
     * @param slice labels (and, for renderers that borrow it, the source's T1 texture at the same points), rows toward
     *              posterior, columns toward the patient's left
     * @param seed  noise seed of this slice and draw: the same seed gives the same image
     * @return values 0..255, same size and orientation as the slice
     */
    float[] render(LabelSlice slice, long seed);

    /**
     * Where the label planes it is conditioned on lie besides the slice's own, in mm along the slice normal (negative:
     * inferior), ascending; {@link LabelSlice#neighbours()} must hold them in this order. Empty: a 2-D renderer.
     */
    default double[] neighbourOffsetsMm() {
        return new double[0];
    }

    /**
     * Whether every slice of a study should get the same noise seed: a deterministic sampler then keeps adjacent
     * slices alike wherever their labels are, which is what makes the stack coherent across slices.
     */
    default boolean sharesNoiseAcrossSlices() {
        return false;
    }

    /**
     * For a renderer that shares noise across slices: the distance along the slice axis over which the shared noise
     * turns from one field to the next ({@link StudyNoise}); null: one field for the whole study.
     */
    default Double noiseTurnMm() {
        return null;
    }

    /** {@link #render(LabelSlice, long)} with x_T a blend of two seeds' fields; a renderer without x_T takes the first seed. */
    default float[] render(LabelSlice slice, NoiseBlend noise) {
        return render(slice, noise.seed());
    }

    /**
     * What a study slice is audited against at this plane of the undeformed source: by default the source's labels
     * rendered by this renderer (a physics renderer reproduces the source's anatomy in its own contrast). A renderer
     * trained to reproduce the source's own T1 has the real plane as its copy target, and rendering every source plane
     * just for the audit would cost minutes.
     */
    default float[] reference(LabelSlice sourcePlane, long seed) {
        return render(sourcePlane, seed);
    }

    /** What {@link #reference} gives, in words, for the audit's metric. */
    default String referenceDescription() {
        return "rendered by " + model().id();
    }
}
