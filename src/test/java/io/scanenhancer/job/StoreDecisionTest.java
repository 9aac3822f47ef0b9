package io.scanenhancer.job;

import io.scanenhancer.dicom.DerivedObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StoreDecisionTest {
    private static final List<DerivedObject> SERIES = List.of(
            new DerivedObject("9.1", "9.1.1", new byte[]{1}),
            new DerivedObject("9.1", "9.1.2", new byte[]{2}),
            new DerivedObject("9.1", "9.1.3", new byte[]{3}));

    @Test
    void nothingPresentSendsEverything() {
        StoreDecision d = StoreDecision.of(SERIES, Set.of());
        assertEquals(SERIES, d.missing());
        assertEquals(0, d.alreadyPresent());
    }

    @Test
    void aPartlyStoredSeriesSendsOnlyTheRestInOrder() {
        StoreDecision d = StoreDecision.of(SERIES, Set.of("9.1.2"));
        assertEquals(List.of("9.1.1", "9.1.3"), d.missing().stream().map(DerivedObject::sopInstanceUid).toList());
        assertEquals(1, d.alreadyPresent());
        assertArrayEquals(new byte[]{1}, d.missingPart10().get(0));
    }

    @Test
    void aCompleteSeriesSendsNothingAndUnrelatedInstancesDoNotCount() {
        StoreDecision d = StoreDecision.of(SERIES, Set.of("9.1.1", "9.1.2", "9.1.3", "7.7.7"));
        assertEquals(List.of(), d.missing());
        assertEquals(3, d.alreadyPresent());
    }
}
