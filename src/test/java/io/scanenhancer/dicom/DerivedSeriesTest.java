package io.scanenhancer.dicom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DerivedSeriesTest {
    private static Derivation derivation(String model, String parameters) {
        return new Derivation(model, "2", 2, "method text that varies per object", parameters, false, null, null);
    }

    @Test
    void theNumberDependsOnTheDerivationNotOnPerObjectText() {
        Derivation a = derivation("sr3", "scale=2");
        Derivation sameButOtherMethod = new Derivation("sr3", "2", 2, "bicubic (out-of-distribution guard)", "scale=2", true, "note", null);
        assertEquals(DerivedSeries.slot(a), DerivedSeries.slot(sameButOtherMethod));
        assertNotEquals(DerivedSeries.slot(a), DerivedSeries.slot(derivation("sr3", "scale=2 seed=1")));
        DerivedSeries s = DerivedSeries.enhanced(a, 1000, "ddim1 seed0", 1);
        assertEquals(Integer.toString(7 + 1000 + DerivedSeries.slot(a)), s.number("7"));
        assertEquals(Integer.toString(1000 + DerivedSeries.slot(a)), s.number(""), "no source number");
        assertEquals(Integer.toString(1000 + DerivedSeries.slot(a)), s.number("2147483000"), "would overflow IS");
    }

    @Test
    void descriptionsKeepTheMarkerAndCutTheSourceAtAWord() {
        DerivedSeries s = DerivedSeries.enhanced(derivation("sr3", "scale=2"), 1000, "ddim1 seed0", 4);
        assertEquals("AI 2x mean4 ddim1 seed0 NOT FOR DIAGNOSTIC USE", s.description(""));
        String d = s.description("Sagittal T2 FLAIR fat-saturated post-contrast thin slices");
        assertEquals("Sagittal T2 FLAIR AI 2x mean4 ddim1 seed0 NOT FOR DIAGNOSTIC USE", d);
        assertEquals("AI 2x mean4 ddim1 seed0 NOT FOR DIAGNOSTIC USE", s.description("A".repeat(40)), "one long word is left out, not cut");
        // settings too long for 64 characters lose their last words, never the marker
        DerivedSeries longSeed = DerivedSeries.uncertainty(derivation("sr3", "x"), 1000, "ddpm1000 str0.30 seed-9223372036854775808", 64);
        assertTrue(longSeed.label().startsWith("AI 2x SD64 ddpm1000") && longSeed.label().endsWith("NOT FOR DIAGNOSTIC USE")
                && longSeed.label().length() <= 64, longSeed.label());
        assertEquals(2000 + DerivedSeries.slot(derivation("sr3", "x")), Integer.parseInt(longSeed.number("0")));
    }
}
