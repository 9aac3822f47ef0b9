package io.scanenhancer.synthesis;

import io.scanenhancer.dicom.SyntheticSeriesWriter;
import io.scanenhancer.training.LabelSlice;

/**
 * Turns one axial label slice of a synthetic head into an MR image. The label-conditioned diffusion renderer, once
 * trained, plugs in here; until then {@link T1StandInRenderer} does, and says that it is a stand-in.
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
}
