package io.scanenhancer.synthesis;

import io.scanenhancer.anatomy.Ch2TissueLabels;
import io.scanenhancer.anatomy.RandomAnatomy;
import io.scanenhancer.anatomy.SourceAnatomy;
import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.training.LabelSlice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Studies from deformed labels: as asked, reproducible, consistent with their labels, audited and redrawn. */
class LabelledStudyTest {
    static SourceAnatomy ch2;
    static SliceRenderer renderer;
    static MemorisationAudit audit;

    @BeforeAll
    static void open() throws Exception {
        ch2 = SourceAnatomy.ch2(Path.of("/usr/share/mricron/templates/ch2.nii.gz"));
        renderer = new T1StandInRenderer(Ch2TissueLabels.committedPureMeans());
        audit = LabelledStudy.referenceAudit(ch2, renderer, StudySynthesizer.DEFAULT_THRESHOLD);
    }

    static StudySpec spec(int count, double spacing, long seed) {
        return new StudySpec(count, spacing, seed, StudySpec.Renderer.LABELS);
    }

    @Test
    void exactlyTheSlicesAskedForReproducibleAndPairedWithTheirLabels() {
        LabelledStudy.Result a = LabelledStudy.draw(ch2, renderer, audit, spec(6, 2.5, 11));
        LabelledStudy.Result b = LabelledStudy.draw(ch2, renderer, audit, spec(6, 2.5, 11));
        assertEquals(6, a.images().size());
        assertEquals(6, a.labels().size());
        for (int i = 1; i < 6; i++) {
            assertEquals(2.5, a.plan().z()[i] - a.plan().z()[i - 1], 1e-12);
        }
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(a.images().get(i), b.images().get(i), "slice " + i);
            assertArrayEquals(a.labels().get(i), b.labels().get(i), "labels " + i);
        }
        assertTrue(a.audit().matches().stream().noneMatch(MemorisationAudit.Match::rejected));
        // the image shows its labels: background dark, white matter brighter than grey matter, grey than CSF (T1)
        double[] sum = new double[TissueLabel.values().length];
        long[] n = new long[sum.length];
        for (int i = 0; i < 6; i++) {
            for (int p = 0; p < a.images().get(i).length; p++) {
                sum[a.labels().get(i)[p]] += a.images().get(i)[p];
                n[a.labels().get(i)[p]]++;
            }
        }
        double background = sum[0] / n[0], csf = sum[2] / n[2], grey = sum[3] / n[3], white = sum[4] / n[4];
        System.out.printf("mean value: background %.1f, CSF %.1f, cortex %.1f, white matter %.1f%n", background, csf, grey, white);
        assertTrue(background < 10 && csf < grey && grey < white, background + " " + csf + " " + grey + " " + white);
    }

    @Test
    void theUndeformedSourceIsRejectedAsACopyOfItsOwnPlane() {
        var identity = RandomAnatomy.identity(ch2);
        SlabPlan field = SlabPlan.of(spec(1, 1, 0), identity.extent());
        double z = 100 - 71 - ch2.brainCentroid()[2]; // ch2's axial plane k = 100 (MNI z = 29)
        LabelSlice slice = LabelledStudy.slice(identity, field, z);
        MemorisationAudit.Match m = audit.match(LabelledStudy.auditImage(renderer.render(slice, 123), field.columns()));
        assertTrue(m.rejected(), "distance " + m.distance());
        assertEquals(100, m.nearestTrainingSlice());
        assertTrue(m.distance() < 1e-3, "distance " + m.distance());
    }

    @Test
    void rejectedSlicesAreRedrawnLocallyAndTheStudyStaysWhole() {
        // seed 3 at 4 mm has two slices (27 and 28 of 32) within 0.0256 of ch2 planes: a stricter audit rejects them
        LabelledStudy.Result r = LabelledStudy.draw(ch2, renderer, audit.withThreshold(0.0256), spec(32, 4, 3));
        assertEquals(32, r.images().size());
        assertFalse(r.redraws().isEmpty());
        assertTrue(r.redraws().size() <= r.redrawBudget());
        assertTrue(r.audit().matches().stream().noneMatch(MemorisationAudit.Match::rejected), "every published slice passed");
        assertEquals(r.redraws().size(), r.anatomy().redraws().size(), "each redraw is one local deformation of the head");
        assertTrue(r.anatomy().jacobianRange()[0] > 0);
        System.out.println("redraws at threshold 0.0256: " + r.redraws() + "; closest distance now " + r.audit().closestDistance());
    }

    @Test
    void whenTheBudgetIsSpentTheRequestFailsWithTheReason() {
        Redraws.Exhausted e = assertThrows(Redraws.Exhausted.class,
                () -> LabelledStudy.draw(ch2, renderer, audit.withThreshold(0.03), spec(32, 4, 3)));
        assertTrue(e.getMessage().contains("redraw budget of 4"), e.getMessage());
    }

    @Test
    void aSlabLongerThanThisSeedsHeadIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabelledStudy.draw(ch2, renderer, audit, spec(45, 4, 10)));
        assertTrue(e.getMessage().contains("is longer than this head (seed 10"), e.getMessage());
    }
}
