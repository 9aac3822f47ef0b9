package io.scanenhancer.training;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SnapshotSelectionTest {

    private static SnapshotSelection.Score score(int step, double mean, double worst) {
        return new SnapshotSelection.Score(Path.of(String.format("regression-%06d.params", step)), mean, worst);
    }

    private static int chosenStep(List<SnapshotSelection.Score> scores) {
        String name = SnapshotSelection.choose(scores).snapshot().getFileName().toString();
        return Integer.parseInt(name.replaceAll("\\D", ""));
    }

    @Test
    void takesTheLatestSnapshotAmongThoseTiedWithTheBest() {
        assertEquals(3000, chosenStep(List.of(score(1000, 1.544, 0.9), score(2000, 1.541, 0.9),
                score(3000, 1.510, 0.8), score(4000, 1.40, 0.8))));
    }

    @Test
    void aClearlyBetterSnapshotWinsOverLaterOnes() {
        assertEquals(2000, chosenStep(List.of(score(1000, 1.0, 0.5), score(2000, 1.6, 0.5), score(3000, 1.2, 0.5))));
    }

    @Test
    void snapshotsThatLoseTooMuchOnOneImageAreLeftOutUnlessAllDo() {
        assertEquals(1000, chosenStep(List.of(score(1000, 1.0, 0.2), score(2000, 1.8, -0.9))));
        assertEquals(2000, chosenStep(List.of(score(1000, 1.0, -0.7), score(2000, 1.8, -0.9))));
    }

    @Test
    void refusesAnEmptyList() {
        assertThrows(IllegalArgumentException.class, () -> SnapshotSelection.choose(List.of()));
    }
}
