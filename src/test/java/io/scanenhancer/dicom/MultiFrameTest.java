package io.scanenhancer.dicom;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultiFrameTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void legacyEnhancedMrKeepsPerFrameGeometryAndValues(boolean signed16) throws Exception {
        byte[] input = MultiFrameInputs.legacyEnhancedMr(dir, signed16, 4);
        Dciodvfy.assertValid(input, "input legacy enhanced MR " + (signed16 ? "int16" : "uint8"));
        SourceImage source = SourceImage.read(input);
        assertEquals(4, source.frameCount());
        assertTrue(source.hasFunctionalGroups());
        assertEquals(signed16 ? 16 : 8, source.bitsAllocated());
        assertEquals(signed16, source.signed());
        DerivedObject derived = DerivedImageWriter.write(source, TestInputs.replicate(source, 2), TestInputs.derivation("replicate"));
        Dciodvfy.assertValid(derived.part10(), "derived legacy enhanced MR " + (signed16 ? "int16" : "uint8"));
        SourceImage back = SourceImage.read(derived.part10());
        assertEquals(4, back.frameCount());
        TestInputs.assertReplicated(source, back, 2);
        for (int f = 0; f < 4; f++) {
            double[] spacing = source.pixelSpacing(f);
            assertArrayEquals(new double[] {spacing[0] / 2, spacing[1] / 2}, back.pixelSpacing(f), 1e-9);
            GeometryTest.assertSameCentres(source, back, f, 2);
        }
    }
}
