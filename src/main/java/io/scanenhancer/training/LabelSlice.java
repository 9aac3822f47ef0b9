package io.scanenhancer.training;

import io.scanenhancer.anatomy.LabelVolume;
import io.scanenhancer.volume.NiftiVolume;

/**
 * A 2D label map (values of {@link io.scanenhancer.anatomy.TissueLabel}) with the T1 image on the same grid, whose
 * texture the renderers may borrow. Rows and columns as {@link NiftiVolume#axial}.
 */
public record LabelSlice(int height, int width, byte[] labels, float[] t1) {
    public LabelSlice {
        if (labels.length != height * width || (t1 != null && t1.length != labels.length)) {
            throw new IllegalArgumentException("label slice " + height + "x" + width + " does not match its arrays");
        }
    }

    /** Axial slice k of a label volume and of the image it labels. */
    public static LabelSlice axial(LabelVolume labels, NiftiVolume t1, int k) {
        return new LabelSlice(labels.ny(), labels.nx(), labels.axial(k), t1 == null ? null : t1.axial(k));
    }
}
