package io.scanenhancer.synthesis;

import io.scanenhancer.training.GeneratorTrainingData;
import io.scanenhancer.volume.HeldOutSlab;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit against the real training slices of ch2, with training slices planted among "generated" ones. */
class MemorisationAuditTest {
    static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
    static MemorisationAudit audit;
    static List<GeneratorTrainingData.Slice> training;

    @BeforeAll
    static void load() throws Exception {
        audit = StudySynthesizer.auditAgainst(CH2, StudySynthesizer.DEFAULT_THRESHOLD);
        training = GeneratorTrainingData.load(CH2, HeldOutSlab.CH2).slices();
    }

    @Test
    void aPlantedTrainingSliceIsRejectedAndNamed() throws Exception {
        GeneratorTrainingData.Slice planted = training.get(training.size() / 3);
        List<float[]> generated = new ArrayList<>();
        // stand-ins for generated slices: real slices the generator never saw (the held-out slab)
        for (GeneratorTrainingData.Slice s : GeneratorTrainingData.slices(CH2, 86, 92)) {
            generated.add(GeneratorTrainingData.lowResolution(s));
        }
        generated.add(3, GeneratorTrainingData.lowResolution(planted));
        MemorisationAudit.Report report = audit.audit(generated);
        assertEquals(1, report.rejected(), "only the planted slice is rejected: " + report.matches());
        MemorisationAudit.Match m = report.matches().get(3);
        assertTrue(m.rejected());
        assertEquals(planted.index(), m.nearestTrainingSlice());
        assertEquals(0, m.distance(), 1e-6);
        assertEquals(0, report.closestDistance(), 1e-6);
        for (int i = 0; i < generated.size(); i++) {
            if (i != 3) {
                assertFalse(report.matches().get(i).rejected());
                assertTrue(report.matches().get(i).distance() > audit.threshold());
            }
        }
    }

    @Test
    void aShiftedMirroredCopyWithNoiseIsStillCaught() {
        GeneratorTrainingData.Slice planted = training.get(2 * training.size() / 3);
        float[] img = GeneratorTrainingData.lowResolution(planted);
        int n = GeneratorTrainingData.SIZE;
        float[] copy = new float[img.length];
        Random r = new Random(5);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int sy = Math.min(n - 1, Math.max(0, y - 1)), sx = n - 1 - Math.min(n - 1, Math.max(0, x + 2));
                copy[y * n + x] = img[sy * n + sx] + (float) (0.01 * r.nextGaussian());
            }
        }
        MemorisationAudit.Match m = audit.audit(List.of(copy)).matches().get(0);
        assertTrue(m.rejected(), "distance " + m.distance());
        assertEquals(planted.index(), m.nearestTrainingSlice());
    }

    @Test
    void noiseIsFarFromEverything() {
        Random r = new Random(1);
        float[] noise = new float[GeneratorTrainingData.SIZE * GeneratorTrainingData.SIZE];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) r.nextGaussian();
        }
        MemorisationAudit.Match m = audit.audit(List.of(noise)).matches().get(0);
        assertFalse(m.rejected());
        assertTrue(m.distance() > 0.5, "distance " + m.distance());
    }

    @Test
    void aThresholdOutsideTheRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MemorisationAudit(List.of(new float[4]), new int[] {0}, 2, 1.5));
    }
}
