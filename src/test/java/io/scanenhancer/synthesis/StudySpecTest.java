package io.scanenhancer.synthesis;

import io.scanenhancer.anatomy.DeformedAnatomy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a study request may ask for, and where its slab goes in a given head. */
class StudySpecTest {
    static final DeformedAnatomy.Extent HEAD = new DeformedAnatomy.Extent(-80, 92, -76, 74, new double[] {0.4, -0.6, 3});

    @Test
    void whatNoHeadCanHonourIsRefusedWithTheReason() {
        assertNull(StudySpec.refusal(128, 1.0));
        assertNull(StudySpec.refusal(45, 4.0), "180 mm is allowed");
        assertTrue(StudySpec.refusal(0, 1.0).contains("count must be between 1 and 512"));
        assertTrue(StudySpec.refusal(513, null).contains("count must be between 1 and 512"));
        assertTrue(StudySpec.refusal(10, 0.4).contains("spacing must be between 0.5 and 10 mm, got 0.4"));
        assertTrue(StudySpec.refusal(10, 10.5).contains("spacing must be between 0.5 and 10 mm"));
        assertTrue(StudySpec.refusal(10, Double.NaN).contains("spacing must be between"));
        assertEquals("100 slices x 2 mm = 200 mm is longer than a head (at most 180 mm): ask for fewer slices or a smaller spacing",
                StudySpec.refusal(100, 2.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StudySpec(10, 0.2, 1, null));
        assertTrue(e.getMessage().contains("spacing"));
        assertThrows(IllegalArgumentException.class, () -> StudySpec.Renderer.of("physics"));
        assertEquals(StudySpec.Renderer.DIFFUSION, StudySpec.Renderer.of("diffusion"));
    }

    @Test
    void theDefaultSpacingIsFourMillimetresOrLessSoThatTheSlabIsAtMost140() {
        assertEquals(4, new StudySpec(32, null, 0, null).spacing(), 1e-12);
        assertEquals(140.0 / 128, new StudySpec(128, null, 0, null).spacing(), 1e-12);
    }

    /** A spec that names no renderer gets the trained one; the stand-in is asked for by name. */
    @Test
    void theDefaultRendererIsTheTrainedDiffusionRenderer() {
        assertEquals(StudySpec.Renderer.DIFFUSION, new StudySpec(1, null, 0, null).renderer());
        assertEquals(StudySpec.Renderer.DIFFUSION, StudySpec.Renderer.DEFAULT);
        assertEquals(StudySpec.Renderer.LABELS, new StudySpec(1, null, 0, StudySpec.Renderer.LABELS).renderer());
    }

    @Test
    void theSlabIsCentredOnTheBrainAtTheSpacingAskedFor() {
        SlabPlan p = SlabPlan.of(new StudySpec(7, 2.5, 0, null), HEAD);
        assertEquals(7, p.z().length);
        for (int i = 1; i < 7; i++) {
            assertEquals(2.5, p.z()[i] - p.z()[i - 1], 1e-12);
        }
        assertEquals(3, p.z()[3], 1e-12, "the middle slice at the brain centroid");
        assertEquals(0, p.shiftMm(), 1e-12);
        // the field: 256 x 256 at 1 mm around the centroid's whole millimetres
        assertEquals(-128, p.x0(), 1e-12);
        assertEquals(-129, p.y0(), 1e-12);
    }

    @Test
    void aSlabThatWouldLeaveTheHeadMovesInsideAndOneLongerThanTheHeadIsRefused() {
        // 170 mm centred on z = 3 would reach -82 below the lowest point (-81 with the half sample)
        SlabPlan p = SlabPlan.of(new StudySpec(85, 2.0, 0, null), HEAD);
        assertEquals(-81 + 1, p.z()[0], 1e-9, "the first slice's lower face on the head's lowest point");
        assertEquals(1, p.shiftMm(), 1e-9, "moved up by the 1 mm it reached too low");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SlabPlan.of(new StudySpec(45, 4.0, 9, null), HEAD));
        assertEquals("45 slices x 4 mm = 180 mm is longer than this head (seed 9: 174 mm from its lowest to its highest point): "
                + "ask for fewer slices, a smaller spacing or another seed", e.getMessage());
    }

    @Test
    void redrawBudgetIsTenPercentOfTheStudyAndAtLeastThree() {
        assertEquals(3, Redraws.budget(4));
        assertEquals(4, Redraws.budget(32));
        assertEquals(13, Redraws.budget(128));
        Redraws r = new Redraws(4);
        MemorisationAudit.Match rejected = new MemorisationAudit.Match(0, 90, 0.01, true);
        assertEquals(1, r.take(0, rejected));
        assertEquals(2, r.take(0, rejected));
        assertEquals(3, r.take(0, rejected));
        Redraws.Exhausted e = assertThrows(Redraws.Exhausted.class, () -> r.take(0, rejected));
        assertTrue(e.getMessage().startsWith("the memorisation audit rejected slice 1 after 3 redraws (distance 0.0100 to training slice 90)"), e.getMessage());
        Redraws spread = new Redraws(4);
        for (int i = 0; i < 3; i++) {
            spread.take(i, rejected);
        }
        assertTrue(assertThrows(Redraws.Exhausted.class, () -> spread.take(3, rejected)).getMessage().contains("redraw budget of 3"));
    }
}
