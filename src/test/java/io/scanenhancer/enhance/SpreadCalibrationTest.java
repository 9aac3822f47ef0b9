package io.scanenhancer.enhance;

import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.TinyModels;
import io.scanenhancer.dicom.Derivation;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.image.FloatImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model config's spread calibration multiplies the published standard deviation, and the derived series says so. */
class SpreadCalibrationTest {

    /** A copy of the model in {@code plain} whose config carries {@code c}. */
    private static Path withCalibration(Path plain, Path copy, ModelConfig.SpreadCalibration c) throws IOException {
        Files.createDirectories(copy);
        Files.copy(plain.resolve("weights.params"), copy.resolve("weights.params"));
        ModelConfig.read(plain.resolve("config.json")).withSpreadCalibration(c).write(copy.resolve("config.json"));
        return copy;
    }

    private static FloatImage noise(long seed, int size) {
        Random r = new Random(seed);
        float[] px = new float[size * size];
        for (int i = 0; i < px.length; i++) {
            px[i] = 200 + 600 * r.nextFloat();
        }
        return new FloatImage(size, size, px);
    }

    @Test
    void theCalibrationFactorScalesTheSpreadOfItsDegradationOnly(@TempDir Path dir) throws IOException {
        Path plain = TinyModels.ship(dir.resolve("plain"), 2);
        Path calibrated = withCalibration(plain, dir.resolve("calibrated"), new ModelConfig.SpreadCalibration(Map.of("area", 3.0), "a test"));
        FloatImage lr = noise(4, 16);
        EnhanceSettings two = new EnhanceSettings(null, null, null, 5L, null, 2);
        try (DiffusionEnhancer a = new DiffusionEnhancer(plain, false); DiffusionEnhancer b = new DiffusionEnhancer(calibrated, false)) {
            assertEquals(1.0, a.spreadFactor(Degradation.AREA));
            assertEquals(3.0, b.spreadFactor(Degradation.AREA));
            assertEquals(1.0, b.spreadFactor(Degradation.KSPACE), "no factor was chosen for k-space inputs");
            EnhancedImage x = a.enhance(lr, two), y = b.enhance(lr, two);
            assertTrue(x.uncertainty() != null && y.uncertainty() != null, "two samples give a spread");
            double sum = 0;
            for (int i = 0; i < x.uncertainty().pixels().length; i++) {
                assertEquals(3.0 * x.uncertainty().pixels()[i], y.uncertainty().pixels()[i], 1e-4 * (1 + x.uncertainty().pixels()[i]));
                sum += x.uncertainty().pixels()[i];
            }
            assertTrue(sum > 0, "the spread is not all zero");
            assertEquals(java.util.Arrays.toString(x.image().pixels()), java.util.Arrays.toString(y.image().pixels()),
                    "the calibration changes the spread, not the image");
        }
    }

    @Test
    void aSelfTestSpreadIsTheGuardsSelfTestErrorEnlargedTimesTheFactor(@TempDir Path dir) throws IOException {
        Path plain = TinyModels.ship(dir.resolve("plain"), 2);
        Path selfTest = withCalibration(plain, dir.resolve("self-test"),
                new ModelConfig.SpreadCalibration(Map.of("area", 1.5), "a test", "self-test", 2.0));
        FloatImage lr = noise(8, 20);
        EnhanceSettings two = new EnhanceSettings(null, null, null, 5L, null, 2);
        try (DiffusionEnhancer a = new DiffusionEnhancer(plain, false); DiffusionEnhancer b = new DiffusionEnhancer(selfTest, false)) {
            assertEquals(io.scanenhancer.image.SpreadMethod.POSTERIOR, a.spreadMethod(Degradation.AREA));
            assertEquals(io.scanenhancer.image.SpreadMethod.selfTest(2.0), b.spreadMethod(Degradation.AREA));
            EnhancedImage x = a.enhance(lr, two), y = b.enhance(lr, two);
            assertEquals(java.util.Arrays.toString(x.image().pixels()), java.util.Arrays.toString(y.image().pixels()),
                    "the spread's method changes the spread, not the image");
            // the guard's self-test: the input degraded once more, enhanced with one sample of the same sampler
            FloatImage test = OutOfDistributionGuard.selfTestInputs(java.util.List.of(lr), Degradation.AREA).get(0);
            FloatImage onTest = a.enhance(test, new EnhanceSettings(null, null, null, 5L, null, null)).image();
            FloatImage expected = SelfTestSpread.of(lr, onTest, 2.0);
            double sum = 0;
            for (int i = 0; i < expected.pixels().length; i++) {
                assertEquals(1.5 * expected.pixels()[i], y.uncertainty().pixels()[i], 1e-3 * (1 + expected.pixels()[i]));
                sum += expected.pixels()[i];
            }
            assertTrue(sum > 0, "a barely trained network errs on its self-test");
        }
        Derivation d = new Derivation("sr3-mri-t1", "4+abc", 2, "diffusion ddim 1 steps", "scale=2", false, null, "2.25");
        Derivation st = d.uncertainty(4, 1.5, io.scanenhancer.image.SpreadMethod.selfTest(2.0));
        assertTrue(st.isUncertainty() && st.parameters().contains("output=self-test-error blur=2.00 sd-factor=1.5000"), st.parameters());
        assertTrue(st.method().startsWith("predicted absolute error"), st.method());
        assertNotEquals(d.uncertainty(4, 1.5).parameters(), st.parameters(), "other pixels, other UIDs");
    }

    @Test
    void aNoiseFloorAddsItsMultipleOfTheInputsNoiseSdBeforeTheFactor(@TempDir Path dir) throws IOException {
        Path plain = TinyModels.ship(dir.resolve("plain"), 2);
        Path selfTest = withCalibration(plain, dir.resolve("self-test"),
                new ModelConfig.SpreadCalibration(Map.of("area", 1.5), "a test", "self-test", 2.0, null, null));
        Path floored = withCalibration(plain, dir.resolve("floored"),
                new ModelConfig.SpreadCalibration(Map.of("area", 1.5), "a test", "self-test", 2.0, Map.of("area", 4.0), null));
        FloatImage lr = noise(9, 20);
        EnhanceSettings two = new EnhanceSettings(null, null, null, 5L, null, 2);
        try (DiffusionEnhancer a = new DiffusionEnhancer(selfTest, false); DiffusionEnhancer b = new DiffusionEnhancer(floored, false)) {
            assertEquals(io.scanenhancer.image.SpreadMethod.selfTest(2.0, 4.0), b.spreadMethod(Degradation.AREA));
            EnhancedImage x = a.enhance(lr, two), y = b.enhance(lr, two);
            double floor = 1.5 * 4.0 * io.scanenhancer.image.NoiseEstimate.sd(lr);
            assertTrue(floor > 100, "white noise of range 600 has a large noise sd: " + floor);
            for (int i = 0; i < x.uncertainty().pixels().length; i++) {
                assertEquals(x.uncertainty().pixels()[i] + floor, y.uncertainty().pixels()[i], 1e-3 * floor);
            }
        }
        Derivation d = new Derivation("sr3-mri-t1", "5+abc", 2, "diffusion ddim 1 steps", "scale=2", false, null, "2.25");
        Derivation st = d.uncertainty(4, 0.05, io.scanenhancer.image.SpreadMethod.selfTest(2.0, 19.55));
        assertTrue(st.parameters().contains("output=self-test-error blur=2.00 noise-floor=19.550 sd-factor=0.0500"), st.parameters());
        assertTrue(st.method().contains("plus 19.55 x the input's noise sd"), st.method());
        assertNotEquals(d.uncertainty(4, 0.05, io.scanenhancer.image.SpreadMethod.selfTest(2.0)).parameters(), st.parameters());
    }

    @Test
    void aGradientBlurWeighsTheSelfTestMapByTheOutputsEdgesAndSaysSo(@TempDir Path dir) throws IOException {
        Path plain = TinyModels.ship(dir.resolve("plain"), 2);
        Path weighed = withCalibration(plain, dir.resolve("weighed"),
                new ModelConfig.SpreadCalibration(Map.of("area", 1.5), "a test", "self-test", 2.0, Map.of("area", 3.0), 1.0));
        FloatImage lr = noise(10, 20);
        EnhanceSettings two = new EnhanceSettings(null, null, null, 5L, null, 2);
        try (DiffusionEnhancer a = new DiffusionEnhancer(plain, false); DiffusionEnhancer b = new DiffusionEnhancer(weighed, false)) {
            io.scanenhancer.image.SpreadMethod method = b.spreadMethod(Degradation.AREA);
            assertEquals(io.scanenhancer.image.SpreadMethod.selfTest(2.0, 3.0).withGradientBlur(1.0), method);
            EnhancedImage y = b.enhance(lr, two);
            FloatImage test = OutOfDistributionGuard.selfTestInputs(java.util.List.of(lr), Degradation.AREA).get(0);
            FloatImage onTest = a.enhance(test, new EnhanceSettings(null, null, null, 5L, null, null)).image();
            FloatImage expected = SelfTestSpread.of(lr, onTest, y.image(), method);
            for (int i = 0; i < expected.pixels().length; i++) {
                assertEquals(1.5 * expected.pixels()[i], y.uncertainty().pixels()[i], 1e-3 * (1 + expected.pixels()[i]),
                        "the service's spread is the weighed map of its own output, times the factor");
            }
        }
        Derivation d = new Derivation("sr3-mri-t1", "7+abc", 2, "diffusion ddim 1 steps", "scale=2", false, null, "2.25");
        Derivation st = d.uncertainty(4, 0.05, io.scanenhancer.image.SpreadMethod.selfTest(2.0, 3.0).withGradientBlur(1.0));
        assertTrue(st.parameters().contains("output=self-test-error blur=2.00 gradient=1.00 noise-floor=3.000"), st.parameters());
        assertTrue(st.method().contains("geometric mean with the output's gradient magnitude"), st.method());
        assertNotEquals(d.uncertainty(4, 0.05, io.scanenhancer.image.SpreadMethod.selfTest(2.0, 3.0)).parameters(), st.parameters(),
                "other pixels, other UIDs");
    }

    @Test
    void aCalibratedUncertaintySeriesSaysSoAndGetsOtherUids() {
        Derivation d = new Derivation("sr3-mri-t1", "2+abc", 2, "diffusion ddim 1 steps", "scale=2", false, null, "2.25");
        Derivation raw = d.uncertainty(4), calibrated = d.uncertainty(4, 7.98);
        assertTrue(calibrated.isUncertainty() && raw.isUncertainty());
        assertTrue(calibrated.parameters().contains("sd-factor=7.9800"), calibrated.parameters());
        assertTrue(calibrated.method().contains("calibration factor 7.98"), calibrated.method());
        assertNotEquals(raw.parameters(), calibrated.parameters(), "other pixels, other parameters, other UIDs");
        assertEquals(raw, d.uncertainty(4, 1.0));
    }
}
