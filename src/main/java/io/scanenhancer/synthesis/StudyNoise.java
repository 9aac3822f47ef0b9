package io.scanenhancer.synthesis;

import io.scanenhancer.diffusion.NoiseBlend;

/**
 * The initial noise of a slice for a renderer that shares noise across a study's slices. One field for the whole
 * study keeps adjacent slices alike but repeats the same texture in every slice, which shows as streaks along the
 * slice axis in sagittal and coronal reformats. With a turn distance L, independent fields sit at anchors every L mm
 * along the axis, and a slice between anchors k and k+1 gets cos(a) N_k + sin(a) N_(k+1), a = (pi / 2) (z / L - k):
 * still standard Gaussian, the same field at an anchor from both sides, and decorrelated over about L.
 */
public final class StudyNoise {
    private StudyNoise() {
    }

    /**
     * @param seed   the study's seed
     * @param zMm    the slice's position along the slice axis
     * @param turnMm the turn distance L, or null for one field for the whole study
     */
    public static NoiseBlend at(long seed, double zMm, Double turnMm) {
        if (turnMm == null) {
            return NoiseBlend.of(LabelledStudy.noiseSeed(seed, 0, 0));
        }
        double u = zMm / turnMm;
        double k = Math.floor(u);
        return new NoiseBlend(anchorSeed(seed, k), anchorSeed(seed, k + 1), (u - k) * Math.PI / 2);
    }

    private static long anchorSeed(long seed, double anchor) {
        return RandomSeeds.of(seed, "noise-anchor", Math.toIntExact((long) anchor));
    }
}
