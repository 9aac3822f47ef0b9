package io.scanenhancer.anatomy;

import io.scanenhancer.volume.NiftiVolume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ch2TissueLabelsTest {
    private static Ch2TissueLabels.Result built;
    private static NiftiVolume ch2, aal;

    @BeforeAll
    static void build() throws IOException {
        built = Ch2TissueLabels.build(Ch2TissueLabels.TEMPLATES);
        ch2 = NiftiVolume.read(Ch2TissueLabels.TEMPLATES.resolve("ch2.nii.gz"));
        aal = NiftiVolume.read(Ch2TissueLabels.TEMPLATES.resolve("aal.nii.gz"));
    }

    @Test
    void theCommittedFileIsExactlyWhatTheCodeMakes() throws IOException {
        LabelVolume committed = Ch2TissueLabels.load();
        assertArrayEquals(built.labels().grid().srow(), committed.grid().srow());
        assertArrayEquals(built.labels().labels(), committed.labels(), "regenerate with Ch2LabelFiles");
    }

    @Test
    void volumesAreThoseOfAnAdultHead() {
        LabelVolume l = built.labels();
        // broad adult ranges (ml); a broken mask or threshold lands far outside them
        assertBetween(l.millilitres(TissueLabel.CORTICAL_GREY_MATTER), 500, 1000);
        assertBetween(l.millilitres(TissueLabel.WHITE_MATTER), 350, 800);
        assertBetween(l.millilitres(TissueLabel.CSF), 50, 400);
        assertBetween(l.millilitres(TissueLabel.DEEP_GREY_MATTER), 30, 80);
        assertBetween(l.millilitres(TissueLabel.CEREBELLAR_CORTEX), 90, 200);
        assertBetween(l.millilitres(TissueLabel.BRAINSTEM), 15, 60);
        for (TissueLabel t : TissueLabel.values()) {
            assertTrue(l.counts()[t.value()] > 0, t + " present");
        }
    }

    @Test
    void theFitSeparatesCsfGreyAndWhiteWhereT1Does() {
        double[] mean = built.fit().mean();
        assertTrue(mean[0] < 45 && mean[1] > 75 && mean[1] < 100 && mean[2] > 105, java.util.Arrays.toString(mean));
        assertArrayEquals(new int[] {72, 107}, built.fittedSlicesExcluded());
    }

    @Test
    void ventriclesAreCsfAndNucleiAreDeepGrey() {
        LabelVolume l = built.labels();
        // the lateral ventricles: the dark voxels (T1 < 45) of a central box of slice 90 (around the midline,
        // between the caudate heads and the thalami)
        int dark = 0, darkCsf = 0;
        for (int j = 95; j < 145; j++) {
            for (int i = 70; i < 110; i++) {
                if (ch2.get(i, j, 90) < 45 && l.get(i, j, 90) != TissueLabel.NON_BRAIN_HEAD.value()) {
                    dark++;
                    darkCsf += l.get(i, j, 90) == TissueLabel.CSF.value() ? 1 : 0;
                }
            }
        }
        assertTrue(dark > 300, "ventricles in the box: " + dark);
        assertEquals(dark, darkCsf, "every dark brain voxel of the box is CSF");

        int thalamus = 0, thalamusDeep = 0, putamen = 0, putamenDeep = 0;
        for (int k = 0; k < l.nz(); k++) {
            for (int j = 0; j < l.ny(); j++) {
                for (int i = 0; i < l.nx(); i++) {
                    int a = Math.round(aal.get(i, j, k));
                    boolean deep = l.get(i, j, k) == TissueLabel.DEEP_GREY_MATTER.value();
                    if (a == 77 || a == 78) {
                        thalamus++;
                        thalamusDeep += deep ? 1 : 0;
                    } else if (a == 73 || a == 74) {
                        putamen++;
                        putamenDeep += deep ? 1 : 0;
                    }
                }
            }
        }
        assertTrue(thalamusDeep > 0.9 * thalamus, thalamusDeep + " of " + thalamus);
        assertTrue(putamenDeep > 0.95 * putamen, putamenDeep + " of " + putamen);
    }

    @Test
    void brainstemLiesOnTheMidlineBelowTheThalamus() {
        LabelVolume l = built.labels();
        long n = 0;
        double si = 0;
        int top = -1;
        for (int k = 0; k < l.nz(); k++) {
            for (int j = 0; j < l.ny(); j++) {
                for (int i = 0; i < l.nx(); i++) {
                    if (l.get(i, j, k) == TissueLabel.BRAINSTEM.value()) {
                        n++;
                        si += i;
                        top = Math.max(top, k);
                    }
                }
            }
        }
        assertEquals(90, si / n, 2.0, "centred on the midline (i = 90 is x = 0)");
        assertTrue(top < 69, "below the thalamus (AAL's starts at slice 69): " + top);
    }

    private static void assertBetween(double value, double lo, double hi) {
        assertTrue(value >= lo && value <= hi, value + " not in [" + lo + ", " + hi + "]");
    }
}
