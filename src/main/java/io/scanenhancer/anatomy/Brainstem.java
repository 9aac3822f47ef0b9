package io.scanenhancer.anatomy;

import io.scanenhancer.volume.NiftiWriter;

/**
 * The brainstem of ch2, which AAL does not label. No atlas on ch2's own grid has it (JHU and Harvard-Oxford are on
 * the MNI152 grid of another brain, the JHU tracts are not the whole brainstem), so it is cut out of the tissue that
 * AAL leaves unlabelled, by anatomy:
 * <ul>
 * <li>below the lowest slice of AAL's thalamus (the midbrain ends where the thalamus begins);</li>
 * <li>within {@link #HALF_WIDTH_MM} mm of the midline (the cerebral peduncles are the widest part, about 35 mm);</li>
 * <li>behind world y = {@link #ANTERIOR_LIMIT_Y_MM} mm (ch2's grid is MNI): in front of it, below the thalamus, lie
 *     hypothalamus, optic chiasm and basal forebrain, which join the midbrain without a boundary visible on T1, and
 *     without this cut the region grows forward along them (it did, up to y = +47 mm); ch2's pons reaches
 *     y = -11 mm on the midline;</li>
 * <li>more than {@link #CEREBELLUM_GAP} voxels from AAL's cerebellum, which cuts the cerebellar peduncles where they
 *     enter it (their exact end is not visible on T1);</li>
 * <li>grey or white matter by intensity, not CSF, not nuclei;</li>
 * <li>connected to the lowest such voxels on the midline (the medulla), so that temporal-lobe white matter, which
 *     reaches below the thalamus but is not joined to the brainstem there, stays white matter.</li>
 * </ul>
 */
final class Brainstem {
    static final double HALF_WIDTH_MM = 17;
    static final int CEREBELLUM_GAP = 3;
    static final double ANTERIOR_LIMIT_Y_MM = -9;

    private Brainstem() {
    }

    static void label(byte[] labels, int[] aal, NiftiWriter.Grid grid) {
        int nx = grid.nx(), ny = grid.ny(), nz = grid.nz(), plane = nx * ny, n = labels.length;
        int thalamusBottom = nz;
        boolean[] cerebellum = new boolean[n];
        for (int p = 0; p < n; p++) {
            if (aal[p] >= Ch2TissueLabels.AAL_THALAMUS_FIRST && aal[p] <= Ch2TissueLabels.AAL_DEEP_GREY[1]) {
                thalamusBottom = Math.min(thalamusBottom, p / plane);
            }
            cerebellum[p] = Ch2TissueLabels.in(aal[p], Ch2TissueLabels.AAL_CEREBELLUM);
        }
        boolean[] nearCerebellum = BinaryMasks.dilate(cerebellum, CEREBELLUM_GAP, nx, ny, nz);
        // world x = srow[0] * i + srow[3]: the midline x = 0 is at i = -srow[3] / srow[0]
        double midline = -grid.srow()[3] / grid.srow()[0];
        double halfWidth = HALF_WIDTH_MM / Math.abs(grid.srow()[0]);
        boolean[] allowed = new boolean[n];
        int lowest = nz;
        for (int p = 0; p < n; p++) {
            int i = p % nx, j = (p / nx) % ny, k = p / plane;
            int l = labels[p];
            double y = grid.srow()[4] * i + grid.srow()[5] * j + grid.srow()[6] * k + grid.srow()[7];
            allowed[p] = k < thalamusBottom && y <= ANTERIOR_LIMIT_Y_MM && aal[p] == 0 && !nearCerebellum[p]
                    && Math.abs(i - midline) <= halfWidth
                    && (l == TissueLabel.WHITE_MATTER.value() || l == TissueLabel.CORTICAL_GREY_MATTER.value());
            if (allowed[p] && Math.abs(i - midline) <= 2) {
                lowest = Math.min(lowest, k);
            }
        }
        boolean[] seeds = new boolean[n];
        for (int p = lowest * plane; p < Math.min(n, (lowest + 1) * plane); p++) {
            seeds[p] = allowed[p] && Math.abs(p % nx - midline) <= 2;
        }
        boolean[] stem = BinaryMasks.connectedTo(allowed, seeds, nx, ny, nz);
        for (int p = 0; p < n; p++) {
            if (stem[p]) {
                labels[p] = (byte) TissueLabel.BRAINSTEM.value();
            }
        }
    }
}
