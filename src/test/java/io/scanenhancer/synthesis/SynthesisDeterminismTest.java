package io.scanenhancer.synthesis;

import io.scanenhancer.dicom.DerivedObject;
import io.scanenhancer.training.GeneratorTrainingData;
import io.scanenhancer.volume.HeldOutSlab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped generator and super-resolution cascade: same seed, same bytes; and the audit on its real output. */
class SynthesisDeterminismTest {
    static final Path GENERATOR = Path.of("models/mri-t1-axial-generator-v1");
    static StudySynthesizer synthesizer;

    @BeforeAll
    static void open() throws Exception {
        synthesizer = StudySynthesizer.open(GENERATOR, MemorisationAuditTest.CH2, StudySynthesizer.DEFAULT_THRESHOLD, null);
    }

    @AfterAll
    static void close() {
        synthesizer.close();
    }

    @Test
    void theSameSeedGivesTheSameStudyBitForBit() {
        StudySynthesizer.Result a = synthesizer.synthesize(3, 11);
        StudySynthesizer.Result b = synthesizer.synthesize(3, 11);
        StudySynthesizer.Result other = synthesizer.synthesize(3, 12);
        assertEquals(a.seriesInstanceUid(), b.seriesInstanceUid());
        assertEquals(a.objects().size(), b.objects().size());
        for (int i = 0; i < a.objects().size(); i++) {
            assertArrayEquals(a.objects().get(i).part10(), b.objects().get(i).part10(), "instance " + i);
        }
        for (int i = 0; i < a.stack().fullRes().size(); i++) {
            assertArrayEquals(a.stack().fullRes().get(i), b.stack().fullRes().get(i));
        }
        assertNotEquals(a.seriesInstanceUid(), other.seriesInstanceUid());
        assertFalse(java.util.Arrays.equals(a.stack().lowRes().get(0), other.stack().lowRes().get(0)), "another seed, other pixels");
        assertEquals(256, a.stack().size());
        assertEquals(1.0, a.stack().pixelSpacingMm(), 1e-9);
    }

    @Test
    void aTrainingSlicePlantedAmongGeneratedOnesIsTheOneRejected() throws Exception {
        StudySynthesizer.Result r = synthesizer.synthesize(4, 5);
        List<float[]> slices = new ArrayList<>(StudySynthesizer.normalised(r.stack().lowRes()));
        GeneratorTrainingData.Slice planted = GeneratorTrainingData.load(MemorisationAuditTest.CH2, HeldOutSlab.CH2).slices().get(40);
        slices.add(2, GeneratorTrainingData.lowResolution(planted));
        MemorisationAudit audit = StudySynthesizer.auditAgainst(MemorisationAuditTest.CH2, StudySynthesizer.DEFAULT_THRESHOLD);
        MemorisationAudit.Report report = audit.audit(slices);
        MemorisationAudit.Match m = report.matches().get(2);
        assertTrue(m.rejected());
        assertEquals(planted.index(), m.nearestTrainingSlice());
        // the generated slices get the very verdicts the synthesizer gave them
        for (int i = 0; i < 4; i++) {
            MemorisationAudit.Match g = report.matches().get(i < 2 ? i : i + 1);
            assertEquals(r.audit().matches().get(i).rejected(), g.rejected());
            assertEquals(r.audit().matches().get(i).distance(), g.distance(), 1e-12);
        }
        int published = (int) r.audit().matches().stream().filter(x -> !x.rejected()).count();
        assertEquals(published, r.objects().size(), "rejected slices are not published");
        for (DerivedObject o : r.objects()) {
            io.scanenhancer.dicom.SyntheticChecks.assertSynthetic(o.part10());
        }
    }
}
