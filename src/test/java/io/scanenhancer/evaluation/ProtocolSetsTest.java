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
}
