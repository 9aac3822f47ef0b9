package io.scanenhancer.training;

/** A 2D image cut from a training volume (a slice, or the part of a slice outside the held-out slab). */
record TrainingRegion(String name, int height, int width, float[] pixels) {
}
