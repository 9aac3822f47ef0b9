package io.scanenhancer.anatomy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Heads drawn from ch2: reproducible, diffeomorphic, within the stated ranges, and ventricles that grow as asked. */
class RandomAnatomyTest {
    static SourceAnatomy ch2;

    @BeforeAll
    static void load() throws Exception {
        ch2 = SourceAnatomy.ch2(Path.of("/usr/share/mricron/templates/ch2.nii.gz"));
    }

    /** Every label of the head on a 2 mm grid over a 260 mm cube. */
    static byte[] labels(DeformedAnatomy a) {
        int n = 131;
        byte[] out = new byte[n * n * n];
        int p = 0;
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    out[p++] = (byte) a.labelAt(-130 + 2 * i, -130 + 2 * j, -130 + 2 * k);
                }
            }
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameHeadBitForBitAndAnotherSeedAnother() {
        byte[] a = labels(RandomAnatomy.draw(ch2, 42)), b = labels(RandomAnatomy.draw(ch2, 42)), c = labels(RandomAnatomy.draw(ch2, 43));
        assertArrayEquals(a, b);
        long differ = 0;
        for (int p = 0; p < a.length; p++) {
            differ += a[p] != c[p] ? 1 : 0;
        }
        assertTrue(differ > a.length / 50, "seeds 42 and 43 differ in " + differ + " of " + a.length + " samples");
    }

    @Test
    void tenSeedsAreDiffeomorphicAndWithinTheStatedRanges() {
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE, displacement = 0;
        for (long seed = 1; seed <= 10; seed++) {
            DeformedAnatomy a = RandomAnatomy.draw(ch2, seed);
            RandomAnatomy.Parameters p = a.parameters();
            double[] j = a.jacobianRange();
            System.out.printf("seed %d: Jacobian %.3f..%.3f, largest displacement %.2f mm, scale %.3f, pitch/roll/yaw %.1f/%.1f/%.1f deg, "
                            + "deformation peak %.2f mm, ventricles +%.2f mm%n", seed, j[0], j[1], a.maxDisplacementMm(), p.scale(),
                    p.pitchDeg(), p.rollDeg(), p.yawDeg(), p.deformationPeakMm(), p.ventricleExpansionMm());
            assertTrue(j[0] > 0, "seed " + seed + " folds: Jacobian determinant " + j[0]);
            min = Math.min(min, j[0]);
            max = Math.max(max, j[1]);
            displacement = Math.max(displacement, a.maxDisplacementMm());
            assertTrue(p.scale() >= RandomAnatomy.SCALE_MIN && p.scale() <= RandomAnatomy.SCALE_MAX);
            assertTrue(Math.abs(p.pitchDeg()) <= RandomAnatomy.PITCH_DEG && Math.abs(p.rollDeg()) <= RandomAnatomy.ROLL_YAW_DEG
                    && Math.abs(p.yawDeg()) <= RandomAnatomy.ROLL_YAW_DEG);
            assertTrue(p.ventricleExpansionMm() >= 0 && p.ventricleExpansionMm() <= RandomAnatomy.VENTRICLE_MAX_MM);
        }
        System.out.printf("10 seeds: Jacobian determinant %.3f..%.3f, largest displacement %.2f mm%n", min, max, displacement);
        // the velocity's peak plus the ventricles' is all the integrated displacement can reach (up to interpolation)
        assertTrue(displacement <= RandomAnatomy.PEAK_MAX_MM + RandomAnatomy.VENTRICLE_MAX_MM + 1, "largest displacement " + displacement);
    }

    @Test
    void theUndeformedSourceIsCh2AtTheOrigin() {
        DeformedAnatomy id = RandomAnatomy.identity(ch2);
        DeformedAnatomy.Extent e = id.extent();
        // ch2's head runs from its lowest slice (the cut below the chin) to the vertex: 177 voxels, sampled every 2 mm
        assertEquals(172, e.headHeight(), 4);
        assertEquals(0, e.brainCentroid()[0], 1);
        assertEquals(0, e.brainCentroid()[1], 1);
        assertEquals(0, e.brainCentroid()[2], 1);
        assertArrayEquals(new double[] {1, 1}, id.jacobianRange(), 1e-12);
        double voxelMl = 0.001;
        assertEquals(ch2.ventricles().millilitres(voxelMl), id.ventricleMillilitres(), 0.5, "the undeformed ventricles");
    }

    @Test
    void ventriclesGrowWithTheDrawnExpansionBeyondTheHeadsScaling() {
        double base = RandomAnatomy.identity(ch2).ventricleMillilitres();
        for (long seed : new long[] {2, 8, 1}) {
            DeformedAnatomy a = RandomAnatomy.draw(ch2, seed);
            RandomAnatomy.Parameters p = a.parameters();
            double headScaling = Math.pow(p.scale(), 3) * p.axisScale()[0] * p.axisScale()[1] * p.axisScale()[2];
            double growth = a.ventricleMillilitres() / base / headScaling;
            System.out.printf("seed %d: ventricles +%.2f mm: %.1f ml (ch2 %.1f), %.2f x beyond the head's scaling%n", seed,
                    p.ventricleExpansionMm(), a.ventricleMillilitres(), base, growth);
            if (p.ventricleExpansionMm() > 2) {
                assertTrue(growth > 1.25, "seed " + seed + " grew only " + growth);
            } else if (p.ventricleExpansionMm() < 0.6) {
                assertTrue(growth > 0.85 && growth < 1.2, "seed " + seed + " changed by " + growth);
            }
        }
    }

    @Test
    void aLocalRedrawChangesTheHeadNearItsPlaneOnlyAndStaysDiffeomorphic() {
        DeformedAnatomy a = RandomAnatomy.draw(ch2, 5);
        DeformedAnatomy b = a.withLocalRedraws(List.of(new DeformedAnatomy.LocalRedraw(30, 4, 12, 8, 99)));
        assertTrue(b.jacobianRange()[0] > 0);
        byte[] near = new byte[256 * 256], nearB = new byte[near.length], far = new byte[near.length], farB = new byte[near.length];
        a.axial(-128, -128, 30, 256, 256, 1, near, null);
        b.axial(-128, -128, 30, 256, 256, 1, nearB, null);
        a.axial(-128, -128, -40, 256, 256, 1, far, null);
        b.axial(-128, -128, -40, 256, 256, 1, farB, null);
        assertFalse(Arrays.equals(near, nearB), "the plane of the redraw changes");
        assertArrayEquals(far, farB, "70 mm away (17 window sigmas) nothing changes");
    }
}
