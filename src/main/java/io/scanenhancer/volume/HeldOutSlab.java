package io.scanenhancer.volume;

/**
 * The part of the training volume that training never sees. Evaluation uses the axial slices
 * {@code [firstSlice, endSlice)}; training excludes those and a margin on each side, and no coronal or sagittal
 * training image crosses the excluded range (they are cut above and below it).
 */
public record HeldOutSlab(int firstSlice, int endSlice, int margin) {
    /** ch2.nii.gz: axial slices 80..99 (through the lateral ventricles), margin 8, so 72..107 are never trained on. */
    public static final HeldOutSlab CH2 = new HeldOutSlab(80, 100, 8);

    public int excludedFrom() {
        return firstSlice - margin;
    }

    public int excludedTo() {
        return endSlice + margin;
    }

    /**
     * The margins, {@code [excludedFrom, firstSlice)} and {@code [endSlice, excludedTo)}: never trained on and not the
     * slab, so the place for choices that need in-domain validation data. Two runs of adjacent axial slices.
     */
    public int[][] marginRuns() {
        return new int[][] {java.util.stream.IntStream.range(excludedFrom(), firstSlice).toArray(),
                java.util.stream.IntStream.range(endSlice, excludedTo()).toArray()};
    }

    public boolean excludes(int k) {
        return k >= excludedFrom() && k < excludedTo();
    }
}
