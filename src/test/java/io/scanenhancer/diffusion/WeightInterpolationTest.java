package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightInterpolationTest {
    @TempDir
    Path dir;

    @Test
    void everyParameterIsTheWeightedMeanAndTheEndsAreExact() throws IOException {
        Path a = TinyModels.ship(Files.createDirectories(dir.resolve("a")), 1).resolve("weights.params");
        Path b = TinyModels.ship(Files.createDirectories(dir.resolve("b")), 4).resolve("weights.params");
        List<float[]> pa = parameters(a), pb = parameters(b);
        assertTrue(differ(pa, pb), "the two tiny networks must differ for the test to mean anything");

        for (double alpha : new double[] {0, 0.25, 1}) {
            Path out = dir.resolve("mix-" + alpha + ".params");
            WeightInterpolation.interpolate(TinyModels.CHANNELS, 2, a, b, alpha, out);
            List<float[]> mixed = parameters(out);
            assertEquals(pa.size(), mixed.size());
            for (int i = 0; i < mixed.size(); i++) {
                if (alpha == 0) {
                    assertArrayEquals(pa.get(i), mixed.get(i), "alpha 0 is the first network exactly");
                } else if (alpha == 1) {
                    assertArrayEquals(pb.get(i), mixed.get(i), "alpha 1 is the second network exactly");
                } else {
                    for (int j = 0; j < mixed.get(i).length; j++) {
                        float expected = (float) ((1 - alpha) * pa.get(i)[j] + alpha * pb.get(i)[j]);
                        assertEquals(expected, mixed.get(i)[j], 1e-6f * (1 + Math.abs(expected)));
                    }
                }
            }
        }
    }

    @Test
    void alphaOutsideTheSegmentIsRefused() throws IOException {
        Path a = TinyModels.ship(Files.createDirectories(dir.resolve("a")), 1).resolve("weights.params");
        assertThrows(IllegalArgumentException.class,
                () -> WeightInterpolation.interpolate(TinyModels.CHANNELS, 2, a, a, 1.5, dir.resolve("x.params")));
    }

    private static List<float[]> parameters(Path weights) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            List<float[]> values = new ArrayList<>();
            for (Parameter p : PretrainedModel.loadNetwork(m, TinyModels.CHANNELS, 2, weights).getParameters().values()) {
                values.add(p.getArray().toFloatArray());
            }
            return values;
        }
    }

    private static boolean differ(List<float[]> a, List<float[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return true;
            }
        }
        return false;
    }
}
