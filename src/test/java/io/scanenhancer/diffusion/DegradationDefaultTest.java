package io.scanenhancer.diffusion;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The degradation of a request that does not say: k-space for MR studies, area for anything else or anything unsure. */
class DegradationDefaultTest {
    @Test
    void mrIsKspaceWhateverTheCaseAndBesideNonImageSeries() {
        assertEquals(Degradation.KSPACE, Degradation.defaultFor(List.of("MR")));
        assertEquals(Degradation.KSPACE, Degradation.defaultFor(List.of("mr ", "MR")));
        assertEquals(Degradation.KSPACE, Degradation.defaultFor(List.of("MR", "SR", "PR", "KO")), "reports and states are not images");
    }

    @Test
    void anythingElseIsArea() {
        assertEquals(Degradation.AREA, Degradation.defaultFor(List.of("CT")));
        assertEquals(Degradation.AREA, Degradation.defaultFor(List.of("MR", "PT")), "PET/MR: a mixed study needs the request to say");
        assertEquals(Degradation.AREA, Degradation.defaultFor(List.of()), "nothing listed");
        assertEquals(Degradation.AREA, Degradation.defaultFor(Arrays.asList("MR", null)), "an unknown modality beside MR");
        assertEquals(Degradation.AREA, Degradation.defaultFor(List.of("SR")), "no image at all");
    }
}
