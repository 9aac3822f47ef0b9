package io.scanenhancer.training;

import io.scanenhancer.anatomy.LabelVolume;
import io.scanenhancer.volume.NiftiVolume;

/**
 * A 2D label map (values of {@link io.scanenhancer.anatomy.TissueLabel}) with the T1 image on the same grid, whose
 * texture the renderers may borrow, and, for renderers conditioned on them (2.5-D), the label maps of the planes
 * at the offsets the renderer asks for. Rows and columns as {@link NiftiVolume#axial}.
 *
 * @param neighbours label maps of the same pixels on the planes at the renderer's neighbour offsets (in the order of
 *                   those offsets); empty for a 2-D renderer
 */
public record LabelSlice(int height, int width, byte[] labels, float[] t1, byte[][] neighbours) {
    public LabelSlice {
        if (labels.length != height * width || (t1 != null && t1.length != labels.length)) {
            throw new IllegalArgumentException("label slice " + height + "x" + width + " does not match its arrays");
        }
        neighbours = neighbours == null ? new byte[0][] : neighbours;
        for (byte[] n : neighbours) {
            if (n.length != labels.length) {
                throw new IllegalArgumentException("a neighbour plane of " + n.length + " labels beside a slice of " + labels.length);
            }
        }
    }

    /** A slice without neighbour planes. */
    public LabelSlice(int height, int width, byte[] labels, float[] t1) {
        this(height, width, labels, t1, null);
    }

    /** Axial slice k of a label volume and of the image it labels. */
    public static LabelSlice axial(LabelVolume labels, NiftiVolume t1, int k) {
        return new LabelSlice(labels.ny(), labels.nx(), labels.axial(k), t1 == null ? null : t1.axial(k));
    }
}
