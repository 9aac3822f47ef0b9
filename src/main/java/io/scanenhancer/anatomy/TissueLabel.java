package io.scanenhancer.anatomy;

/**
 * The tissue classes of a label volume, with the value stored in the NIfTI file and the colour of overlays.
 * Values are fixed: label files and the synthesis code depend on them.
 */
public enum TissueLabel {
    BACKGROUND(0, "background", 0x000000),
    NON_BRAIN_HEAD(1, "non-brain head (scalp, fat, muscle, bone, extracerebral fluid, eyes)", 0xb0b0b0),
    CSF(2, "cerebrospinal fluid (ventricles, sulci, cisterns inside the brain mask)", 0x2060ff),
    CORTICAL_GREY_MATTER(3, "cortical grey matter (cerebrum, incl. hippocampus and amygdala)", 0xff3030),
    WHITE_MATTER(4, "white matter (cerebral and cerebellar)", 0xf0f0a0),
    DEEP_GREY_MATTER(5, "deep grey matter (caudate, putamen, pallidum, thalamus)", 0x30d030),
    CEREBELLAR_CORTEX(6, "cerebellar cortex", 0xd040d0),
    BRAINSTEM(7, "brainstem (midbrain, pons, medulla)", 0xffa000);

    private final int value;
    private final String description;
    private final int rgb;

    TissueLabel(int value, String description, int rgb) {
        this.value = value;
        this.description = description;
        this.rgb = rgb;
    }

    public int value() {
        return value;
    }

    public String description() {
        return description;
    }

    /** Overlay colour, 0xRRGGBB. */
    public int rgb() {
        return rgb;
    }

    public static TissueLabel of(int value) {
        for (TissueLabel l : values()) {
            if (l.value == value) {
                return l;
            }
        }
        throw new IllegalArgumentException("no tissue label " + value);
    }
}
