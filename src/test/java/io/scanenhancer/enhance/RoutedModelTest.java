package io.scanenhancer.enhance;

import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.diffusion.ModelRoutes;
import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.image.FloatImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A routed model folder answers each degradation with the member folder it names, exactly as that member alone would. */
class RoutedModelTest {
    private static final Path V2 = Path.of("models/sr3-mri-t1-v2").toAbsolutePath();
    private static final Path V3 = Path.of("models/sr3-mri-t1-v3").toAbsolutePath();

    private static Path routed(Path dir, Map<String, String> routes) throws IOException {
        new ModelRoutes("sr3-mri-t1", "9", routes).write(dir);
        return dir;
    }

    private static FloatImage image() {
        Random r = new Random(11);
        float[] px = new float[24 * 24];
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 24; x++) {
                px[y * 24 + x] = 300 + 200 * (float) Math.sin(x / 3.0) * (float) Math.cos(y / 4.0) + 20 * r.nextFloat();
            }
        }
        return new FloatImage(24, 24, px);
    }

    @Test
    void eachDegradationGetsItsMembersOutputAndTheRoutesGetTheirOwnVersion(@TempDir Path dir) throws IOException {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("area", V2.toString());
        routes.put("kspace", V3.toString());
        FloatImage lr = image();
        EnhanceSettings area = EnhanceSettings.defaults().withDegradation(Degradation.AREA);
        EnhanceSettings kspace = EnhanceSettings.defaults().withDegradation(Degradation.KSPACE);
        try (DiffusionEnhancer both = new DiffusionEnhancer(routed(dir, routes), true);
             DiffusionEnhancer v2 = new DiffusionEnhancer(V2, true);
             DiffusionEnhancer v3 = new DiffusionEnhancer(V3, true)) {
            assertTrue(both.runsModelFor(Degradation.AREA) && both.runsModelFor(Degradation.KSPACE));
            assertEquals("sr3-mri-t1", both.modelId());
            assertTrue(both.modelVersion().startsWith("9+"), both.modelVersion());
            assertNotEquals(v3.modelVersion().substring(2), both.modelVersion().substring(2), "other weights, another digest");
            EnhancedImage a = both.enhance(lr, area), k = both.enhance(lr, kspace);
            assertArrayEquals(v2.enhance(lr, area).image().pixels(), a.image().pixels(), "box inputs: v2's output");
            assertArrayEquals(v3.enhance(lr, kspace).image().pixels(), k.image().pixels(), "k-space inputs: v3's output");
            assertEquals(v3.spreadFactor(Degradation.KSPACE), both.spreadFactor(Degradation.KSPACE));
            assertEquals(v2.spreadFactor(Degradation.AREA), both.spreadFactor(Degradation.AREA));
            assertEquals(v2.config(Degradation.AREA).weightsSha256(), both.config(Degradation.AREA).weightsSha256());
        }
    }

    @Test
    void v6sKspaceMemberSaysItBlendsTheWindowByTheInputsNoiseAndItsAreaMemberIsV5s() throws IOException {
        Path v5 = Path.of("models/sr3-mri-t1-v5").toAbsolutePath(), v6 = Path.of("models/sr3-mri-t1-v6").toAbsolutePath();
        FloatImage lr = image();
        // without the fall-back: this sine pattern is no MR image, and the guard may answer it with zero-filling
        try (DiffusionEnhancer six = new DiffusionEnhancer(v6, false); DiffusionEnhancer five = new DiffusionEnhancer(v5, false)) {
            EnhancedImage k = six.enhance(lr, EnhanceSettings.defaults().withDegradation(Degradation.KSPACE));
            assertTrue(k.method().contains("k-space window blended with the model's by the input's noise sd s: s^2 / (s^2 + 0.030^2)"),
                    k.method());
            EnhancedImage a = six.enhance(lr, EnhanceSettings.defaults().withDegradation(Degradation.AREA));
            assertTrue(!a.method().contains("k-space"), a.method());
            assertArrayEquals(five.enhance(lr, EnhanceSettings.defaults().withDegradation(Degradation.AREA)).image().pixels(),
                    a.image().pixels(), "the area member is v5's (v4's) networks");
            assertNotEquals(five.modelVersion(), six.modelVersion());
        }
    }

    @Test
    void v7sAreaMemberInterpolatesV4sAreaNetworksAndItsKspaceMemberIsV6s() throws IOException {
        Path v4 = Path.of("models/sr3-mri-t1-v4").toAbsolutePath(), v6 = Path.of("models/sr3-mri-t1-v6").toAbsolutePath();
        Path v7 = Path.of("models/sr3-mri-t1-v7").toAbsolutePath();
        FloatImage lr = image();
        try (DiffusionEnhancer seven = new DiffusionEnhancer(v7, false); DiffusionEnhancer six = new DiffusionEnhancer(v6, false)) {
            EnhanceSettings kspace = EnhanceSettings.defaults().withDegradation(Degradation.KSPACE);
            assertArrayEquals(six.enhance(lr, kspace).image().pixels(), seven.enhance(lr, kspace).image().pixels(),
                    "the k-space member is v6's");
            ModelConfig area = seven.config(Degradation.AREA), start = ModelConfig.read(v4.resolve("area/config.json"));
            Map<?, ?> interpolation = (Map<?, ?>) area.training().details().get("interpolation");
            assertEquals(0.75, ((Number) interpolation.get("alpha")).doubleValue());
            assertTrue(interpolation.get("from").toString().contains(start.weightsSha256())
                    && interpolation.get("from").toString().contains(start.priorWeightsSha256()), interpolation.toString());
            assertNotEquals(start.weightsSha256(), area.weightsSha256());
            assertTrue(seven.modelVersion().startsWith("7+"), seven.modelVersion());
        }
    }

    @Test
    void aRouteOnlyToBoxInputsLeavesKspaceToZeroFilling(@TempDir Path dir) throws IOException {
        try (DiffusionEnhancer boxOnly = new DiffusionEnhancer(routed(dir, Map.of("area", V3.toString())), true)) {
            assertTrue(boxOnly.runsModelFor(Degradation.AREA));
            EnhancedImage k = boxOnly.enhance(image(), EnhanceSettings.defaults().withDegradation(Degradation.KSPACE));
            assertTrue(k.fellBack() && k.method().startsWith("zero-fill"), k.method());
        }
    }

    @Test
    void aRouteToAMemberNotTrainedForItOrAnUnknownDegradationIsRefused(@TempDir Path dir) throws IOException {
        IOException untrained = assertThrows(IOException.class,
                () -> new DiffusionEnhancer(routed(dir.resolve("a"), Map.of("kspace", V2.toString())), true));
        assertTrue(untrained.getMessage().contains("trained for [area] only"), untrained.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new DiffusionEnhancer(routed(dir.resolve("b"), Map.of("bilinear", V2.toString())), true));
        assertTrue(unknown.getMessage().contains("unknown degradation 'bilinear'"), unknown.getMessage());
    }
}
