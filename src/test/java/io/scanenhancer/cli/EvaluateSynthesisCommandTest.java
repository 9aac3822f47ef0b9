package io.scanenhancer.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** evaluate-synthesis refuses what it cannot measure before drawing anything. */
class EvaluateSynthesisCommandTest {
    @Test
    void oneSeedOrAnImpossibleStudyIsAUsageError() {
        assertEquals(2, EvaluateSynthesisCommand.run(new String[] {"--seeds", "1"}), "diversity needs two studies");
        assertEquals(2, EvaluateSynthesisCommand.run(new String[] {"--spacing", "0.1"}));
        assertEquals(2, EvaluateSynthesisCommand.run(new String[] {"--count", "200", "--spacing", "1"}), "200 mm is longer than a head");
        assertEquals(0, EvaluateSynthesisCommand.run(new String[] {"--help"}));
    }
}
