package io.scanenhancer.cli;

import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.evaluation.ProtocolInput;
import io.scanenhancer.evaluation.ProtocolSets;
import io.scanenhancer.image.FloatImage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluateCommandTest {

    @Test
    void aWrongProtocolOrInputIsRefusedBeforeAnyModelLoads() {
        assertEquals(2, EvaluateCommand.run(new String[] {"--protocol", "v9", "--model", "no-such-folder"}));
        assertEquals(2, EvaluateCommand.run(new String[] {"--protocol", "issue20", "--inputs", "area,box", "--model", "no-such-folder"}));
        assertEquals(2, EvaluateCommand.run(new String[] {"--protocol", "issue20", "--uncertainty-strength", "1.5", "--model", "no-such-folder"}),
                "a strength outside (0, 1] is refused before a model is looked for");
        assertEquals(2, EvaluateCommand.run(new String[] {"--protocol", "issue20", "--uncertainty-sampler", "euler", "--model", "no-such-folder"}));
        assertEquals(List.of(ProtocolInput.KSPACE_NOISY, ProtocolInput.AREA), EvaluateCommand.inputs("kspace-noisy, area"));
    }

    @Test
    void theContrastsAreTheSignalEquationRenderingsNamedWithTheirTiming() throws IOException {
        List<ProtocolSets.Contrast> c = EvaluateCommand.contrasts("T2,FLAIR");
        assertEquals(List.of("T2-like", "FLAIR-like"), c.stream().map(ProtocolSets.Contrast::name).toList());
        assertTrue(c.get(0).rule().contains("TR 4000 TE 100 ms"), c.get(0).rule());
        assertTrue(c.get(1).rule().contains("TI 2500"), c.get(1).rule());
        assertEquals(List.of(), EvaluateCommand.contrasts(""));
        assertThrows(Args.UsageException.class, () -> EvaluateCommand.contrasts("T3"));
        // background stays black; pure CSF (T1 intensity below its fitted mean) is the brightest tissue on T2, so 1
        FloatImage t2 = c.get(0).renderer().render(new byte[] {(byte) TissueLabel.BACKGROUND.value(), (byte) TissueLabel.CSF.value()},
                new float[] {0, 20}, 1, 2);
        assertEquals(0f, t2.pixels()[0]);
        assertEquals(1f, t2.pixels()[1], 1e-6f);
    }
}
