package io.scanenhancer.synthesis;

import io.scanenhancer.diffusion.NoiseBlend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class StudyNoiseTest {

    @Test
    void withoutATurnDistanceEverySliceSharesOneField() {
        NoiseBlend a = StudyNoise.at(7, -31.5, null), b = StudyNoise.at(7, 40, null);
        assertEquals(NoiseBlend.of(LabelledStudy.noiseSeed(7, 0, 0)), a);
        assertEquals(a, b);
    }

    @Test
    void betweenAnchorsTheNoiseTurnsFromOneFieldToTheNextAndMeetsItAtTheAnchor() {
        double turn = 8;
        NoiseBlend atAnchor = StudyNoise.at(7, 16, turn);       // anchor 2 exactly
        NoiseBlend justBelow = StudyNoise.at(7, 16 - 1e-9, turn); // the end of the segment from anchor 1
        NoiseBlend between = StudyNoise.at(7, 18, turn);         // a quarter of the way to anchor 3
        assertEquals(0, atAnchor.angle(), 1e-12);
        assertEquals(Math.PI / 2, justBelow.angle(), 1e-6);
        assertEquals(atAnchor.seed(), justBelow.otherSeed(), "the same field at the anchor from both sides");
        assertEquals(atAnchor.seed(), between.seed());
        assertEquals(Math.PI / 8, between.angle(), 1e-12);
        assertNotEquals(between.seed(), between.otherSeed());
        NoiseBlend negative = StudyNoise.at(7, -4, turn);        // halfway between anchors -1 and 0
        assertEquals(Math.PI / 4, negative.angle(), 1e-12);
        assertEquals(StudyNoise.at(7, 0, turn).seed(), negative.otherSeed());
        assertNotEquals(StudyNoise.at(8, 18, turn).seed(), between.seed(), "another study, other fields");
    }
}
