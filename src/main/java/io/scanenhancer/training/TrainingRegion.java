package io.scanenhancer.training;

/**
 * A 2D image cut from a training volume (a slice, or the part of a slice outside the held-out slab), with the range
 * of axial slices k it draws from.
 */
record TrainingRegion(String name, int height, int width, float[] pixels, int firstAxialSlice, int lastAxialSlice) {
}
