package io.scanenhancer.training;

/**
 * A 2D image cut from a training volume (a slice, or the part of a slice outside the held-out slab), with the range
 * of axial slices k it draws from, and the tissue labels of the same pixels where contrast randomisation needs them
 * (cut by the very same code, so they cover the same slices; null otherwise).
 */
record TrainingRegion(String name, int height, int width, float[] pixels, int firstAxialSlice, int lastAxialSlice, byte[] labels) {
    TrainingRegion {
        if (labels != null && labels.length != pixels.length) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + pixels.length + " pixels");
        }
    }

    LabelSlice labelSlice() {
        if (labels == null) {
            throw new IllegalStateException(name + " has no tissue labels");
        }
        return new LabelSlice(height, width, labels, pixels);
    }
}
