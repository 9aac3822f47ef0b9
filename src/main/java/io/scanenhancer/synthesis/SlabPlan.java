package io.scanenhancer.synthesis;

import io.scanenhancer.anatomy.DeformedAnatomy;

/**
 * Where a study's slices lie in patient coordinates (DICOM LPS mm): a {@value #SIZE} x {@value #SIZE} field of
 * {@value #PIXEL_MM} mm pixels centred on the brain's centroid, and {@code count} axial planes {@code spacing} apart,
 * centred on the brain's centroid along z unless that would put the slab past the top or the bottom of the head, in
 * which case it is moved by the least distance that keeps it inside (and {@link #shiftMm} says by how much). A slab
 * longer than the head is refused.
 *
 * @param x0, y0      patient x, y of the first pixel's centre
 * @param z           patient z of each slice, increasing (inferior to superior)
 * @param brainZ      the brain centroid's z
 * @param shiftMm     slab centre minus brainZ
 * @param headZ       the head's lowest and highest z (sampled every 2 mm)
 */
public record SlabPlan(int rows, int columns, double pixelSpacingMm, double x0, double y0, double[] z, double spacingMm,
                       double brainZ, double shiftMm, double[] headZ) {
    public static final int SIZE = 256;
    public static final double PIXEL_MM = 1;

    public static SlabPlan of(StudySpec spec, DeformedAnatomy.Extent extent) {
        double s = spec.spacing(), length = spec.slabMm();
        // the extent was sampled every STEP mm: the head reaches half a step beyond its outermost samples
        double low = extent.headZMin() - 1, high = extent.headZMax() + 1;
        if (length > high - low) {
            throw new IllegalArgumentException(spec.count() + " slices x " + StudySpec.fmt(s) + " mm = " + StudySpec.fmt(length)
                    + " mm is longer than this head (seed " + spec.seed() + ": " + StudySpec.fmt(high - low)
                    + " mm from its lowest to its highest point): ask for fewer slices, a smaller spacing or another seed");
        }
        double[] c = extent.brainCentroid();
        double centre = Math.max(low + length / 2, Math.min(high - length / 2, c[2]));
        double[] z = new double[spec.count()];
        for (int i = 0; i < z.length; i++) {
            z[i] = centre + (i - (z.length - 1) / 2.0) * s;
        }
        double x0 = Math.round(c[0]) - SIZE / 2 * PIXEL_MM, y0 = Math.round(c[1]) - SIZE / 2 * PIXEL_MM;
        return new SlabPlan(SIZE, SIZE, PIXEL_MM, x0, y0, z, s, c[2], centre - c[2], new double[] {low, high});
    }
}
