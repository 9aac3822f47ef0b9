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

/** The generator path (shipped generator and super-resolution cascade): same seed, same bytes; spacing; the audit on its real output. */
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

    static StudySpec spec(int count, double spacing, long seed) {
        return new StudySpec(count, spacing, seed, StudySpec.Renderer.GENERATOR);
    }

    @Test
    void theSameSeedGivesTheSameStudyBitForBitAtTheSpacingAskedFor() {
        StudySynthesizer.Result a = synthesizer.synthesize(spec(3, 6.5, 11));
        StudySynthesizer.Result b = synthesizer.synthesize(spec(3, 6.5, 11));
        StudySynthesizer.Result other = synthesizer.synthesize(spec(3, 6.5, 12));
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
        assertEquals(3, a.images().size());
        assertEquals(6.5, a.volume().z()[1] - a.volume().z()[0], 1e-9);
        assertEquals(6.5, a.volume().z()[2] - a.volume().z()[1], 1e-9);
        assertEquals(null, a.segmentation(), "the generator makes no labels");
        // the generator knows 170 mm of positions: 30 slices 6 mm apart span 174 mm and are refused, not clipped
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> synthesizer.synthesize(spec(30, 6, 1)));
        assertTrue(e.getMessage().contains("knows axial positions over 169 mm only"), e.getMessage());
    }

    @Test
    void aTrainingSlicePlantedAmongGeneratedOnesIsTheOneRejected() throws Exception {
        StudySynthesizer.Result r = synthesizer.synthesize(spec(4, 4, 5));
        List<float[]> slices = new ArrayList<>(r.stack().lowRes().stream().map(GeneratedStudy::normalised).toList());
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
        assertEquals(4, r.images().size(), "exactly the slices asked for");
        assertTrue(r.audit().matches().stream().noneMatch(MemorisationAudit.Match::rejected), "every published slice passed");
        for (DerivedObject o : r.objects()) {
            io.scanenhancer.dicom.SyntheticChecks.assertSynthetic(o.part10());
        }
    }
}
