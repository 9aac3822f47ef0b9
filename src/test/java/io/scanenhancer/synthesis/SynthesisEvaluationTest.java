package io.scanenhancer.synthesis;

import io.scanenhancer.anatomy.SourceAnatomy;
import io.scanenhancer.dicom.SyntheticSeriesWriter;
import io.scanenhancer.training.LabelSlice;
import io.scanenhancer.volume.NiftiVolume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real side of the synthesis evaluation: ch2 laid into a study's field, and the renderer-alone audit. */
class SynthesisEvaluationTest {
    static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
    static SourceAnatomy source;
    static NiftiVolume t1;
    static Ch2Field field;

    @BeforeAll
    static void open() throws Exception {
        source = SourceAnatomy.ch2(CH2);
        t1 = NiftiVolume.read(CH2);
        field = new Ch2Field(source, t1);
    }

    @Test
    void theFieldHoldsCh2VoxelsUninterpolatedWithColumnsTowardTheLeftAndRowsTowardPosterior() {
        int k = 90;
        LabelSlice s = field.slice(k);
        int n = SlabPlan.SIZE, centre = (n / 2) * n + n / 2;
        double[] c = source.brainCentroid();
        double[] srow = source.labels().grid().srow();
        int ci = (int) Math.round(c[0] - srow[3]), cj = (int) Math.round(c[1] - srow[7]);
        assertEquals(t1.get(ci, cj, k), s.t1()[centre]);
        assertEquals(t1.get(ci - 5, cj, k), s.t1()[centre + 5], "5 columns toward the patient's left is 5 mm toward world -x");
        assertEquals(t1.get(ci, cj - 7, k), s.t1()[centre + 7 * n], "7 rows toward posterior is 7 mm toward world -y");
        assertEquals(source.labels().get(ci, cj, k), s.labels()[centre]);
        assertEquals(k, field.sliceAt(field.offsetOf(k)));
        assertEquals(0f, field.slice(-3).t1()[centre], "outside the grid is background");
    }

    /** A renderer that returns the source's own T1: the worst copy risk there is. */
    record Copier() implements SliceRenderer {
        public SyntheticSeriesWriter.Model model() {
            return new SyntheticSeriesWriter.Model("copier", "0", "returns the training image");
        }

        public boolean standIn() {
            return true;
        }

        public String seriesDescription() {
            return "SYNTHETIC TEST";
        }

        public float[] render(LabelSlice slice, long seed) {
            return slice.t1().clone();
        }
    }

    @Test
    void aRendererThatReturnsTheTrainingImageIsFoundAtDistanceZeroOnItsOwnSlice() {
        RendererCopyRisk risk = RendererCopyRisk.measure(field, new Copier(), StudySynthesizer.DEFAULT_THRESHOLD);
        MemorisationAudit.Report r = risk.renderedVsTraining();
        assertTrue(r.matches().size() > 100, "training slices with head: " + r.matches().size());
        assertEquals(0, r.closestDistance(), 1e-6);
        assertEquals(r.matches().size(), r.rejected());
        assertEquals(r.matches().size(), risk.ownSliceNearest());
        assertTrue(r.matches().stream().noneMatch(m -> io.scanenhancer.volume.HeldOutSlab.CH2.excludes(m.slice())), "training slices only");
        assertTrue(risk.medianNeighbourDistance() > 0.001, "real neighbours 1 mm apart are not identical: " + risk.medianNeighbourDistance());
    }

    @Test
    void matchedCh2SlicesLieAtTheSameHeightAboveTheBrainCentroid() {
        FieldStack like = new FieldStack(java.util.List.of(new float[1], new float[1]), java.util.List.of(new byte[1], new byte[1]),
                new double[] {-10.2, 15.4});
        FieldStack real = FieldStack.ch2Matching(field, like);
        assertEquals(-10.2, real.offsetsMm()[0], 0.5);
        assertEquals(15.4, real.offsetsMm()[1], 0.5);
        assertEquals(SlabPlan.SIZE * SlabPlan.SIZE, real.images().get(0).length);
    }
}
