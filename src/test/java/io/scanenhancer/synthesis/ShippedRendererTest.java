package io.scanenhancer.synthesis;

import io.scanenhancer.anatomy.SourceAnatomy;
import io.scanenhancer.volume.NiftiVolume;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped renderer (models/mri-t1-label-renderer-v2) on ch2's validation planes, at 10 steps to keep the suite
 * short: its images follow their labels, stack coherently, and are not copies of the real planes.
 */
class ShippedRendererTest {
    @Test
    void theShippedRendererDrawsTissueThatFollowsItsLabelsWithoutCopyingTheRealPlanes() throws IOException {
        Ch2Field field = new Ch2Field(SourceAnatomy.ch2(MemorisationAuditTest.CH2), NiftiVolume.read(MemorisationAuditTest.CH2));
        try (DiffusionLabelRenderer r = DiffusionLabelRenderer.open(DiffusionLabelRenderer.DEFAULT_MODEL)) {
            assertEquals("mri-t1-label-renderer", r.config().id());
            assertEquals(1, r.config().neighbours(), "2.5-D, chosen on the validation planes");
            RendererValidation.Row rendered = RendererValidation.measure(field, r, 10).get(0);
            RendererValidation.Row real = RendererValidation.real(field);
            assertTrue(rendered.dice() > 0.85, "label fidelity " + rendered.dice() + " (real " + real.dice() + ")");
            assertTrue(rendered.coherence() > 0.8 * real.coherence(), "coherence " + rendered.coherence() + " vs real " + real.coherence());
            assertTrue(rendered.psnr() > 15 && rendered.psnr() < 35, "PSNR against the real planes " + rendered.psnr()
                    + ": like the real anatomy, not a copy of it");
            for (double p : rendered.power()) {
                assertTrue(p > 0.5 && p < 1.5, "power ratio " + p);
            }
        }
    }
}
