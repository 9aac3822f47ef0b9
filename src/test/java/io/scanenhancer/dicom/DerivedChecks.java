package io.scanenhancer.dicom;

import io.scanenhancer.enhance.Bicubic;
import io.scanenhancer.image.FloatImage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks shared by the dicom and cli tests: a derived object against its source. */
public final class DerivedChecks {
    private DerivedChecks() {
    }

    /**
     * The derived object is the bicubic enhancement of the source: same representation, geometry exact, and stored
     * values exactly the source representation of Bicubic.upscale(source frame) (rounded, clamped).
     */
    public static void assertBicubicDerivation(SourceImage source, SourceImage derived, int s) {
        assertEquals(source.rows() * s, derived.rows());
        assertEquals(source.columns() * s, derived.columns());
        assertEquals(source.frameCount(), derived.frameCount());
        assertEquals(source.studyInstanceUid(), derived.studyInstanceUid());
        assertEquals(source.sopClassUid(), derived.sopClassUid());
        assertEquals(source.photometricInterpretation(), derived.photometricInterpretation());
        assertEquals(source.bitsAllocated(), derived.bitsAllocated());
        assertEquals(source.bitsStored(), derived.bitsStored());
        assertEquals(source.signed(), derived.signed());
        SourceImage.PixelFormat f = source.format();
        for (int fr = 0; fr < source.frameCount(); fr++) {
            FloatImage expected = Bicubic.upscale(source.frame(fr), s);
            int[] actual = derived.storedValues(fr);
            for (int i = 0; i < actual.length; i++) {
                int e = StoredValues.toStored(expected.pixels()[i], source.rescaleSlope(fr), source.rescaleIntercept(fr), f.minStored(), f.maxStored());
                if (e != actual[i]) {
                    throw new AssertionError("frame " + fr + " pixel " + i + ": stored " + actual[i] + ", expected " + e);
                }
            }
            if (source.pixelSpacing(fr) != null) {
                assertArrayEquals(new double[] {source.pixelSpacing(fr)[0] / s, source.pixelSpacing(fr)[1] / s}, derived.pixelSpacing(fr), 1e-9);
            }
            if (source.imagePositionPatient(fr) != null && source.imageOrientationPatient(fr) != null && source.pixelSpacing(fr) != null) {
                GeometryTest.assertSameCentres(source, derived, fr, s);
            }
        }
    }

    /** Runs a command; fails on a non-zero exit. */
    public static String run(Path workDir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timeout: " + command);
        assertEquals(0, p.exitValue(), command + " failed:\n" + out);
        return out;
    }
}
