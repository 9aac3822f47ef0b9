package io.scanenhancer.synthesis;

import io.scanenhancer.anatomy.SourceAnatomy;
import io.scanenhancer.diffusion.TinyRenderers;
import io.scanenhancer.training.LabelSlice;
import io.scanenhancer.volume.NiftiVolume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trained renderer as a SliceRenderer: deterministic for a seed, its neighbour planes, its refusals. */
class DiffusionLabelRendererTest {
    static Ch2Field field;

    @BeforeAll
    static void load() throws IOException {
        field = new Ch2Field(SourceAnatomy.ch2(MemorisationAuditTest.CH2), NiftiVolume.read(MemorisationAuditTest.CH2));
    }

    @Test
    void aSliceRendersTheSameForASeedBitForBitAndDifferentlyForAnother(@TempDir Path dir) throws IOException {
        TinyRenderers.ship(dir, 1, 4, 2);
        try (DiffusionLabelRenderer r = DiffusionLabelRenderer.open(dir)) {
            assertFalse(r.standIn());
            assertEquals("tiny-renderer", r.model().id());
            assertTrue(r.model().contribution().contains("2.5-D"), r.model().contribution());
            assertTrue(r.seriesDescription().length() <= 64 && r.seriesDescription().contains("SYNTHETIC"));
            assertArrayEquals(new double[] {-1, 1}, r.neighbourOffsetsMm());
            assertTrue(r.sharesNoiseAcrossSlices());
            LabelSlice slice = field.slice(120, r.neighbourOffsetsMm());
            assertArrayEquals(field.slice(119).labels(), slice.neighbours()[0], "the plane 1 mm below");
            assertArrayEquals(field.slice(121).labels(), slice.neighbours()[1], "the plane 1 mm above");
            float[] a = r.render(slice, 5), b = r.render(slice, 5), c = r.render(slice, 6);
            assertEquals(SlabPlan.SIZE * SlabPlan.SIZE, a.length);
            assertArrayEquals(a, b);
            assertFalse(java.util.Arrays.equals(a, c));
            assertArrayEquals(a, r.render(slice, io.scanenhancer.diffusion.NoiseBlend.of(5)), "one field is the seed's noise");
            float[] turned = r.render(slice, new io.scanenhancer.diffusion.NoiseBlend(5, 6, 0.3));
            assertFalse(java.util.Arrays.equals(a, turned) || java.util.Arrays.equals(c, turned), "a blend is neither field");
            for (float v : a) {
                assertTrue(v >= 0 && v <= 255);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.render(field.slice(120), 5));
            assertTrue(e.getMessage().contains("2 neighbour planes"), e.getMessage());
        }
    }

    @Test
    void aFolderWithoutATrainedRendererIsRefusedWithWhatToDo(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiffusionLabelRenderer.open(dir.resolve("none")));
        assertTrue(e.getMessage().contains("no trained diffusion renderer") && e.getMessage().contains("train-renderer"), e.getMessage());
    }
}
