package io.scanenhancer.evaluation;

import io.scanenhancer.anatomy.Ch2TissueLabels;
import io.scanenhancer.volume.HeldOutSlab;
import io.scanenhancer.volume.NiftiVolume;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KspaceBaselineTest {

    @Test
    void zeroFillingBeatsBicubicOnCleanKspaceInputsOfEverySlabSlice() throws IOException {
        NiftiVolume ch2 = NiftiVolume.read(Path.of("/usr/share/mricron/templates/ch2.nii.gz"));
        List<KspaceBaseline.Row> rows = KspaceBaseline.measure(ch2, Ch2TissueLabels.load(), HeldOutSlab.CH2);
        System.out.print(KspaceBaseline.table(rows));
        KspaceBaseline.Row zeroFill = rows.get(0), bicubic = rows.get(1), noisyZeroFill = rows.get(2),
                noisyBicubic = rows.get(3), boxBicubic = rows.get(4);
        assertEquals(20, zeroFill.wholeSlice().length);
        for (int s = 0; s < 20; s++) {
            // zero-filling is the exact inverse on the kept band; bicubic is not
            assertTrue(zeroFill.wholeSlice()[s] > bicubic.wholeSlice()[s], "slice " + (80 + s));
            assertTrue(zeroFill.insideHead()[s] > bicubic.insideHead()[s], "slice " + (80 + s));
            // noise at SNR 30 costs both methods
            assertTrue(noisyZeroFill.wholeSlice()[s] < zeroFill.wholeSlice()[s]);
            assertTrue(noisyBicubic.wholeSlice()[s] < bicubic.wholeSlice()[s]);
        }
        // the box baseline agrees with the model card's bicubic figure (36.23 dB on slices 82..98 step 4)
        assertEquals(36.2, boxBicubic.mean(boxBicubic.wholeSlice()), 0.3);
    }
}
