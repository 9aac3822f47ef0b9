package io.scanenhancer.evaluation;

import io.scanenhancer.anatomy.Ch2TissueLabels;
import io.scanenhancer.volume.NiftiVolume;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtocolSetsTest {

    @Test
    void theMarginSetIsValidationDataBesideTheSlab() throws IOException {
        ProtocolSets.ImageSet margins = ProtocolSets.margins(NiftiVolume.read(EvaluationSets.CH2), Ch2TissueLabels.load(), 2);
        assertTrue(margins.validation(), "a choice may be made on it");
        assertEquals(List.of("ch2 axial 73", "ch2 axial 75", "ch2 axial 77", "ch2 axial 79", "ch2 axial 101", "ch2 axial 103",
                "ch2 axial 105", "ch2 axial 107"), margins.cases().stream().map(ProtocolSets.Case::name).toList());
        for (ProtocolSets.Case c : margins.cases()) {
            int head = 0;
            for (boolean b : c.head()) {
                head += b ? 1 : 0;
            }
            assertTrue(head > c.head().length / 10, c.name() + " has a head: " + head);
            assertEquals(c.truth().pixels().length, c.head().length);
        }
    }

    @Test
    void marginRenderingsAreValidationSetsOnTheMarginsPixels() throws IOException {
        NiftiVolume ch2 = NiftiVolume.read(EvaluationSets.CH2);
        io.scanenhancer.anatomy.LabelVolume labels = Ch2TissueLabels.load();
        ProtocolSets.ImageSet margins = ProtocolSets.margins(ch2, labels, 4);
        ProtocolSets.Contrast inverted = new ProtocolSets.Contrast("inverted", "255 - T1", (l, t1, h, w) -> {
            float[] p = new float[h * w];
            for (int i = 0; i < p.length; i++) {
                p[i] = 255 - t1[i];
            }
            return new io.scanenhancer.image.FloatImage(h, w, p);
        });
        ProtocolSets.ImageSet r = ProtocolSets.rendered(margins, "margin inverted", "validation", ch2, labels, inverted);
        assertTrue(r.validation());
        assertEquals(margins.cases().stream().map(ProtocolSets.Case::name).toList(), r.cases().stream().map(ProtocolSets.Case::name).toList());
        for (int i = 0; i < r.cases().size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(margins.cases().get(i).head(), r.cases().get(i).head(), "scored on the same head pixels");
            assertTrue(!java.util.Arrays.equals(margins.cases().get(i).truth().pixels(), r.cases().get(i).truth().pixels()));
        }
    }
}
