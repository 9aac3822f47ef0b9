package io.scanenhancer.evaluation;

import io.scanenhancer.image.FloatImage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluationSetsTest {

    @Test
    void anExactRampIsSyntheticAndARampWithNoiseIsNot() {
        int h = 32, w = 32;
        float[] ramp = new float[h * w], noisy = new float[h * w];
        Random r = new Random(1);
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (256 * (i / w) + i % w) % 4096;
            noisy[i] = ramp[i] + (float) r.nextGaussian();
        }
        assertTrue(EvaluationSets.isSyntheticRamp(new FloatImage(h, w, ramp)));
        assertFalse(EvaluationSets.isSyntheticRamp(new FloatImage(h, w, noisy)));
        assertFalse(EvaluationSets.isSyntheticRamp(new FloatImage(h, w, new float[h * w])), "a flat image is no ramp");
    }

    @Test
    void theDebianFilesAreSortedIntoAcquisitionsPatternsAndLeftOut() throws IOException {
        EvaluationSets.OutOfDomain set = EvaluationSets.outOfDomainSet();
        List<String> acquisitions = set.acquisitions().stream().map(EvaluationCase::name).toList();
        assertEquals(List.of("CT_small (CT 128x128)", "MR_small (MR 64x64)"), acquisitions);
        assertEquals(List.of("0 (MR 256x256)"), set.syntheticPatterns().stream().map(EvaluationCase::name).toList());
        assertTrue(set.leftOut().contains("1.dcm: same pixel data as 0 (MR 256x256)"), set.leftOut().toString());
        assertEquals(EvaluationSets.OUT_OF_DOMAIN.size(),
                set.acquisitions().size() + set.syntheticPatterns().size() + set.leftOut().size(),
                "every listed file is accounted for: " + set.leftOut());
    }
}
