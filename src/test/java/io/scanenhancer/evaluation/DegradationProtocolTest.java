package io.scanenhancer.evaluation;

import io.scanenhancer.enhance.Bicubic;
import io.scanenhancer.enhance.KspaceDegradation;
import io.scanenhancer.image.FloatImage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DegradationProtocolTest {
    private static final List<ProtocolInput> ALL = List.of(ProtocolInput.values());

    /** A head-like test image: a bright ellipse with a darker textured inside, on black. */
    static FloatImage phantom(int h, int w, double phase) {
        float[] p = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (x - w / 2.0) / (0.4 * w), v = (y - h / 2.0) / (0.45 * h);
                double r = u * u + v * v;
                p[y * w + x] = r > 1 ? 0 : (float) (r > 0.7 ? 200 : 90 + 40 * Math.sin(0.9 * x + phase) * Math.cos(0.6 * y));
            }
        }
        return new FloatImage(h, w, p);
    }

    static ProtocolSets.ImageSet set(String name, boolean validation, double... phases) {
        List<ProtocolSets.Case> cases = new ArrayList<>();
        for (double phase : phases) {
            FloatImage truth = phantom(40, 36, phase);
            boolean[] head = new boolean[truth.pixels().length];
            for (int i = 0; i < head.length; i++) {
                head[i] = truth.pixels()[i] > 0;
            }
            cases.add(new ProtocolSets.Case("phantom " + phase, truth, head, 255));
        }
        return new ProtocolSets.ImageSet(name, "test phantoms", validation, cases);
    }

    @Test
    void eachInputIsJudgedAgainstItsOwnBaseline() {
        List<String> told = new ArrayList<>();
        DegradationProtocol.Method zeroFill = new DegradationProtocol.Method("zero-fill", (lr, degradation) -> {
            told.add(degradation);
            return MethodUnderTest.Output.of(KspaceDegradation.zeroFill(lr, 2));
        });
        DegradationProtocol.Method bicubic = new DegradationProtocol.Method("bicubic",
                (lr, degradation) -> MethodUnderTest.Output.of(Bicubic.upscale(lr, 2)));
        List<DegradationProtocol.Row> rows = DegradationProtocol.run(List.of(set("phantoms", false, 0, 1)), ALL,
                List.of(zeroFill, bicubic), 3, null);
        assertEquals(2 * 3 * 2, rows.size());
        assertEquals(List.of("area", "kspace", "kspace", "area", "kspace", "kspace"), told);
        for (DegradationProtocol.Row r : rows) {
            boolean isBaseline = r.method().equals(r.input().baselineName());
            if (isBaseline) {
                // the baseline against itself: exactly zero, whole slice and inside the head
                assertEquals(0.0, r.gain().whole(), 0.0, r.toString());
                assertEquals(0.0, r.gain().head(), 0.0, r.toString());
            } else {
                assertNotEquals(0.0, r.gain().whole(), r.toString());
            }
        }
        // on clean k-space inputs zero-filling is the better interpolation, so bicubic shows a loss there
        DegradationProtocol.Summary s = DegradationProtocol.summarise(rows, "bicubic", "phantoms", ProtocolInput.KSPACE_CLEAN);
        assertTrue(s.meanWhole() < 0 && s.worstWhole() <= s.meanWhole(), s.toString());
        assertEquals(s.meanWhole(), s.bicubicOverZeroFillWhole(), 1e-12);
        assertEquals(2, s.images());
    }

    @Test
    void inputsAreDeterministicAndOnlyTheNoisyOnesCarryNoise() {
        ProtocolSets.ImageSet set = set("phantoms", false, 0);
        ProtocolSets.Case c = set.cases().get(0);
        FloatImage clean = DegradationProtocol.inputFor(ProtocolInput.KSPACE_CLEAN, set, c, 5);
        FloatImage noisy = DegradationProtocol.inputFor(ProtocolInput.KSPACE_NOISY, set, c, 5);
        assertTrue(Arrays.equals(noisy.pixels(), DegradationProtocol.inputFor(ProtocolInput.KSPACE_NOISY, set, c, 5).pixels()));
        assertFalse(Arrays.equals(noisy.pixels(), DegradationProtocol.inputFor(ProtocolInput.KSPACE_NOISY, set, c, 6).pixels()));
        assertTrue(Arrays.equals(clean.pixels(), DegradationProtocol.inputFor(ProtocolInput.KSPACE_CLEAN, set, c, 6).pixels()));
        // sigma per channel: the rms change is about sigma on signal (Rician) and up to sqrt(2) sigma on the background
        double sigma = ProtocolInput.noiseSigma(c.truth(), c.head()), s = 0;
        for (int i = 0; i < clean.pixels().length; i++) {
            s += Math.pow(noisy.pixels()[i] - clean.pixels()[i], 2);
        }
        double rms = Math.sqrt(s / clean.pixels().length);
        assertTrue(rms > 0.5 * sigma && rms < 1.5 * sigma, "rms " + rms + " against sigma " + sigma);
        assertEquals(200 / ProtocolInput.SNR, sigma, 1e-9, "the 90th percentile of the phantom's head is its bright rim");
    }

    @Test
    void theCalibrationFactorComesFromTheValidationSetAndCoversItThere() {
        List<ProtocolSets.ImageSet> sets = List.of(set("slab", false, 0, 1), set("validation", true, 2, 3));
        // bicubic with a constant spread of 1: the factor is then the 95th percentile of |error| / 2
        UncertaintyCalibration.Result r = UncertaintyCalibration.run(sets, List.of(ProtocolInput.KSPACE_CLEAN),
                (lr, degradation) -> {
                    FloatImage up = Bicubic.upscale(lr, 2);
                    float[] one = new float[up.pixels().length];
                    Arrays.fill(one, 1f);
                    return new MethodUnderTest.Output(up, new FloatImage(up.height(), up.width(), one), false);
                }, 1, 0, null);
        assertEquals(4, r.images().size());
        UncertaintyCalibration.SetResult slab = r.sets().get(0), validation = r.sets().get(1);
        assertEquals(validation.scale(), validation.validationScale(), 0.0);
        assertEquals(validation.scale(), slab.validationScale(), 0.0, "the slab is judged with the validation set's factor");
        assertTrue(validation.coverageAtValidation() >= 0.95, validation.toString());
        assertTrue(Double.isNaN(slab.meanSpearman()), "a constant spread ranks nothing");
        assertTrue(slab.meanCeiling() > 0.2 && slab.meanCeiling() <= 1, "bicubic's error is larger at edges: " + slab.meanCeiling());
    }

    @Test
    void theCeilingsLocalErrorSizeIsTheSmoothedRootMeanSquareError() {
        int n = 32;
        float[] truth = new float[n * n], mean = new float[n * n];
        for (int i = 0; i < mean.length; i++) {
            truth[i] = i % 7;
            mean[i] = truth[i] + ((i / n) < n / 2 ? 3f : -3f) * ((i % 2) == 0 ? 1 : -1);
        }
        FloatImage size = UncertaintyCalibration.localErrorSize(new FloatImage(n, n, mean), new FloatImage(n, n, truth));
        for (float v : size.pixels()) {
            assertEquals(3.0, v, 1e-4, "an error of +-3 everywhere has local size 3 whatever its signs");
        }
    }

    @Test
    void theNeighboursCeilingLeavesEachPixelsOwnErrorOut() {
        int n = 32;
        float[] truth = new float[n * n], mean = new float[n * n];
        mean[16 * n + 16] = 10f; // one wrong pixel in a right image
        FloatImage plain = UncertaintyCalibration.localErrorSize(new FloatImage(n, n, mean), new FloatImage(n, n, truth));
        FloatImage neighbours = UncertaintyCalibration.neighboursErrorSize(new FloatImage(n, n, mean), new FloatImage(n, n, truth));
        assertTrue(plain.pixels()[16 * n + 16] > 1f, "the plain local size sees the pixel's own error");
        assertEquals(0f, neighbours.pixels()[16 * n + 16], 1e-3f, "its neighbours made none (float rounding of an error of 10)");
        assertTrue(neighbours.pixels()[16 * n + 17] > 1f, "its neighbour sees it");

        // a spatially white error: its size cannot be told from the neighbours', only from the pixel itself
        Random random = new Random(7);
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) random.nextGaussian();
        }
        FloatImage m = new FloatImage(n, n, mean), t = new FloatImage(n, n, truth);
        float[] local = UncertaintyCalibration.localErrorSize(m, t).pixels();
        float[] fromNeighbours = UncertaintyCalibration.neighboursErrorSize(m, t).pixels();
        double[] err = new double[mean.length], p = new double[mean.length], q = new double[mean.length];
        for (int i = 0; i < mean.length; i++) {
            err[i] = Math.abs(mean[i]);
            p[i] = local[i];
            q[i] = fromNeighbours[i];
        }
        double plainRank = CalibrationStatistics.spearman(p, err), neighboursRank = CalibrationStatistics.spearman(q, err);
        assertTrue(Math.abs(neighboursRank) < 0.1, "white noise: " + neighboursRank);
        assertTrue(plainRank > neighboursRank + 0.1, "the plain ceiling leaks the pixel's own draw: " + plainRank);
    }
}
