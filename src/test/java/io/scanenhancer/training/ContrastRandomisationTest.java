package io.scanenhancer.training;

import io.scanenhancer.anatomy.Ch2TissueLabels;
import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.volume.NiftiVolume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContrastRandomisationTest {
    private static LabelSlice slice;
    private static double[] pureMeans;

    @BeforeAll
    static void load() throws IOException {
        NiftiVolume ch2 = NiftiVolume.read(Ch2TissueLabels.TEMPLATES.resolve("ch2.nii.gz"));
        slice = LabelSlice.axial(Ch2TissueLabels.load(), ch2, 90);
        pureMeans = Ch2TissueLabels.committedPureMeans();
    }

    private static double mean(FloatImage img, TissueLabel label) {
        double s = 0;
        long n = 0;
        for (int p = 0; p < img.pixels().length; p++) {
            if (slice.labels()[p] == label.value()) {
                s += img.pixels()[p];
                n++;
            }
        }
        return s / n;
    }

    private static double sd(FloatImage img, TissueLabel label) {
        double m = mean(img, label), s = 0;
        long n = 0;
        for (int p = 0; p < img.pixels().length; p++) {
            if (slice.labels()[p] == label.value()) {
                s += (img.pixels()[p] - m) * (img.pixels()[p] - m);
                n++;
            }
        }
        return Math.sqrt(s / n);
    }

    @Test
    void sameSeedSameImageOtherSeedOtherImage() {
        FloatImage a = ContrastRandomisation.render(slice, new Random(5));
        FloatImage b = ContrastRandomisation.render(slice, new Random(5));
        FloatImage c = ContrastRandomisation.render(slice, new Random(6));
        assertArrayEquals(a.pixels(), b.pixels());
        assertFalse(java.util.Arrays.equals(a.pixels(), c.pixels()));
        for (float v : a.pixels()) {
            assertTrue(v >= 0 && v <= 1 && Float.isFinite(v));
        }
    }

    @Test
    void randomContrastsOrderTheTissuesEveryWay() {
        // over 40 draws, white matter is sometimes brighter and sometimes darker than grey matter and than CSF
        int whiteAboveGrey = 0, whiteAboveCsf = 0;
        for (int seed = 0; seed < 40; seed++) {
            FloatImage img = ContrastRandomisation.render(slice, new Random(seed));
            double w = mean(img, TissueLabel.WHITE_MATTER);
            whiteAboveGrey += w > mean(img, TissueLabel.CORTICAL_GREY_MATTER) ? 1 : 0;
            whiteAboveCsf += w > mean(img, TissueLabel.CSF) ? 1 : 0;
        }
        assertTrue(whiteAboveGrey >= 8 && whiteAboveGrey <= 32, "white above grey in " + whiteAboveGrey + " of 40");
        assertTrue(whiteAboveCsf >= 8 && whiteAboveCsf <= 32, "white above CSF in " + whiteAboveCsf + " of 40");
    }

    @Test
    void fixedSequencesOrderTheTissuesAsThePhysicsSays() {
        FloatImage t1 = SequenceContrast.render(slice, SequenceContrast.Sequence.T1_SE, pureMeans);
        FloatImage t2 = SequenceContrast.render(slice, SequenceContrast.Sequence.T2_SE, pureMeans);
        FloatImage pd = SequenceContrast.render(slice, SequenceContrast.Sequence.PD_SE, pureMeans);
        FloatImage flair = SequenceContrast.render(slice, SequenceContrast.Sequence.FLAIR, pureMeans);
        TissueLabel csf = TissueLabel.CSF, grey = TissueLabel.CORTICAL_GREY_MATTER, white = TissueLabel.WHITE_MATTER;
        assertTrue(mean(t1, white) > mean(t1, grey) && mean(t1, grey) > mean(t1, csf), "T1: white > grey > CSF");
        assertTrue(mean(t2, csf) > mean(t2, grey) && mean(t2, grey) > mean(t2, white), "T2: CSF > grey > white");
        assertTrue(mean(pd, grey) > mean(pd, white), "PD: grey > white");
        assertTrue(mean(flair, grey) > mean(flair, white) && mean(flair, white) > mean(flair, csf),
                "FLAIR: grey > white > nulled CSF");
        // not flat cartoons: the T1 texture carries over inside each tissue
        for (FloatImage img : new FloatImage[] {t2, pd, flair}) {
            assertTrue(sd(img, grey) > 0.02 * mean(img, grey), "texture inside grey matter");
        }
    }
}
