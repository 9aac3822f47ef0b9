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

    @Test
    void noiseTurnDistancesAreParsedWithNoneForOneFieldAndNonPositiveOnesAreRefused() {
        assertEquals(java.util.Arrays.asList(null, 4.0, 2.5), EvaluateSynthesisCommand.turns("none, 4,2.5", 3.0));
        assertEquals(java.util.Collections.singletonList(3.0), EvaluateSynthesisCommand.turns(null, 3.0), "the renderer's own");
        org.junit.jupiter.api.Assertions.assertThrows(Args.UsageException.class, () -> EvaluateSynthesisCommand.turns("0", null));
        org.junit.jupiter.api.Assertions.assertThrows(Args.UsageException.class, () -> EvaluateSynthesisCommand.turns("four", null));
    }
}
