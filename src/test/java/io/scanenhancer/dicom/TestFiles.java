package io.scanenhancer.dicom;

import io.scanenhancer.enhance.Bicubic;
import io.scanenhancer.image.EnhancedImage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The pydicom test files (Debian python3-pydicom) and a bicubic enhancement of a source. */
final class TestFiles {
    static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    private TestFiles() {
    }

    static Path pydicom(String name) {
        Path p = PYDICOM.resolve(name);
        if (!Files.exists(p)) {
            throw new IllegalStateException("missing test file " + p + ": install Debian's python3-pydicom, as .ci/run does");
        }
        return p;
    }

    static Derivation bicubicDerivation() {
        return new Derivation("bicubic", "1", 2, "bicubic", "scale=2", false, null, null);
    }

    static List<EnhancedImage> bicubic(SourceImage source, int scale) {
        List<EnhancedImage> out = new ArrayList<>();
        for (int f = 0; f < source.frameCount(); f++) {
            out.add(new EnhancedImage(Bicubic.upscale(source.frame(f), scale), null, "bicubic", false, 0, false));
        }
        return out;
    }

    static void assumeTool(String tool) {
        assumeTrue(Files.isExecutable(Path.of(tool)), tool + " missing");
    }
}
