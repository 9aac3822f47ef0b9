package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scanenhancer.enhance.KspaceDegradation;
import io.scanenhancer.image.FloatImage;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batched torch projection is the Java reference ({@link KspaceDegradation#project}: the window of the estimate's
 * spectrum replaced by the input's) written as a filter: the same images, to float precision, for even and odd
 * low-resolution sides, on the unpadded region of a padded batch; and a soft projection moves only part of the way.
 */
class KspaceProjectionTest {

    private static float[] random(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (scale * r.nextGaussian() + 100);
        }
        return v;
    }

    @Test
    void theTorchProjectionIsTheJavaReferenceOnEvenAndOddSidesAndLeavesThePadding() {
        Random r = new Random(4);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (int[] size : new int[][] {{16, 16}, {21, 14}, {9, 11}}) {
                int h = size[0], w = size[1], ph = h + 3, pw = w + 2, rows = 2;
                float[] padded = random(r, rows * 4 * ph * pw, 30);
                float[][] lows = new float[rows][], zs = new float[rows][];
                float[] z = new float[rows * 4 * h * w];
                for (int k = 0; k < rows; k++) {
                    lows[k] = random(r, h * w, 20);
                    zs[k] = KspaceDegradation.zeroFilled(new FloatImage(h, w, lows[k]), 2)[1].pixels();
                    System.arraycopy(zs[k], 0, z, k * 4 * h * w, 4 * h * w);
                }
                float[] out = KspaceProjection.project(m.create(padded, new Shape(rows, 1, 2 * ph, 2 * pw)),
                        m.create(z, new Shape(rows, 1, 2 * h, 2 * w)), h, w, null).toFloatArray();
                double worst = 0;
                for (int k = 0; k < rows; k++) {
                    float[] own = new float[4 * h * w];
                    for (int y = 0; y < 2 * h; y++) {
                        System.arraycopy(padded, k * 4 * ph * pw + y * 2 * pw, own, y * 2 * w, 2 * w);
                    }
                    float[] expected = KspaceDegradation.project(new FloatImage(2 * h, 2 * w, own), new FloatImage(h, w, lows[k]), 2).pixels();
                    for (int y = 0; y < 2 * ph; y++) {
                        for (int x = 0; x < 2 * pw; x++) {
                            int at = k * 4 * ph * pw + y * 2 * pw + x;
                            if (y < 2 * h && x < 2 * w) {
                                worst = Math.max(worst, Math.abs(out[at] - expected[y * 2 * w + x]));
                            } else {
                                assertEquals(padded[at], out[at], 0f, "the padding keeps the estimate's values");
                            }
                        }
                    }
                }
                assertTrue(worst < 2e-3, h + "x" + w + ": torch and Java projections differ by " + worst + " (values about 100 +- 30)");
            }
        }
    }

    @Test
    void theZeroFilledRealPartIsConsistentAndTheMagnitudeIsItsAbsoluteValue() {
        Random r = new Random(8);
        int h = 12, w = 10;
        float[] low = random(r, h * w, 60);
        FloatImage[] zf = KspaceDegradation.zeroFilled(new FloatImage(h, w, low), 2);
        for (int i = 0; i < zf[0].pixels().length; i++) {
            assertEquals(Math.abs(zf[1].pixels()[i]), zf[0].pixels()[i], 1e-3f, "the window is Hermitian: the image is real");
        }
        float[] again = KspaceDegradation.project(zf[1], new FloatImage(h, w, low), 2).pixels();
        for (int i = 0; i < again.length; i++) {
            assertEquals(zf[1].pixels()[i], again[i], 1e-3f, "already consistent: the projection keeps it");
        }
    }

    @Test
    void aSoftProjectionKeepsItsShareOfTheEstimatesWindow() {
        Random r = new Random(6);
        int h = 8, w = 8;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] low = random(r, h * w, 20);
            float[] z = KspaceDegradation.zeroFilled(new FloatImage(h, w, low), 2)[1].pixels();
            float[] x = random(r, 4 * h * w, 30);
            float[] xs = new float[2 * x.length], zz = new float[2 * z.length];
            System.arraycopy(x, 0, xs, 0, x.length);
            System.arraycopy(x, 0, xs, x.length, x.length);
            System.arraycopy(z, 0, zz, 0, z.length);
            System.arraycopy(z, 0, zz, z.length, z.length);
            NDArray est = m.create(xs, new Shape(2, 1, 2 * h, 2 * w));
            float[] out = KspaceProjection.project(est, m.create(zz, new Shape(2, 1, 2 * h, 2 * w)), h, w, new float[] {0f, 0.25f}).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                float hard = out[i], soft = out[x.length + i];
                assertEquals(0.75 * hard + 0.25 * x[i], soft, 1e-3, "a quarter of the estimate's window kept, per row");
            }
        }
    }

    @Test
    void projectingTwiceIsOnePassWithTheKeptShareSquared() {
        Random r = new Random(9);
        int h = 9, w = 12, rows = 3;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] z = new float[rows * 4 * h * w];
            for (int k = 0; k < rows; k++) {
                float[] zk = KspaceDegradation.zeroFilled(new FloatImage(h, w, random(r, h * w, 20)), 2)[1].pixels();
                System.arraycopy(zk, 0, z, k * zk.length, zk.length);
            }
            NDArray zs = m.create(z, new Shape(rows, 1, 2 * h, 2 * w));
            NDArray est = m.create(random(r, rows * 4 * (h + 2) * (w + 1), 30), new Shape(rows, 1, 2 * (h + 2), 2 * (w + 1)));
            float[] keep = {0f, 0.3f, 0.8f};
            float[] twice = KspaceProjection.project(KspaceProjection.project(est, zs, h, w, keep), zs, h, w, keep).toFloatArray();
            float[] once = KspaceProjection.projectTwice(est, zs, h, w, keep).toFloatArray();
            for (int i = 0; i < once.length; i++) {
                assertEquals(twice[i], once[i], 2e-3, "pixel " + i + " (values about 100 +- 30)");
            }
        }
    }

    @Test
    void theEstimatesShareIsAWienerWeightOfTheInputsNoise() {
        ModelConfig.Sampling v5 = new ModelConfig.Sampling("ddim", 1, 1, 0, 0.05);
        assertEquals(0, v5.kspaceEstimateWeight(0.1), "without tau: the hard projection");
        ModelConfig.Sampling tau = v5.withKspaceEstimateError(0.04);
        assertEquals(0, tau.kspaceEstimateWeight(0), 1e-12, "a noiseless input's window is kept as acquired");
        assertEquals(0.5, tau.kspaceEstimateWeight(0.04), 1e-12);
        assertEquals(0.9, tau.kspaceEstimateWeight(0.12), 1e-12, "a noisy input's window is mostly the network's");
    }

    @Test
    void theTorchZeroFillIsTheJavaReferenceOnEvenAndOddSides() {
        Random r = new Random(8);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (int[] size : new int[][] {{16, 16}, {21, 14}, {9, 11}, {64, 48}}) {
                int h = size[0], w = size[1], rows = 2;
                float[] lows = random(r, rows * h * w, 20);
                float[] out = KspaceProjection.zeroFill(m.create(lows, new Shape(rows, 1, h, w)), h, w).toFloatArray();
                double worst = 0;
                for (int k = 0; k < rows; k++) {
                    float[] low = java.util.Arrays.copyOfRange(lows, k * h * w, (k + 1) * h * w);
                    FloatImage[] reference = KspaceDegradation.zeroFilled(new FloatImage(h, w, low), 2);
                    for (int p = 0; p < 4 * h * w; p++) {
                        worst = Math.max(worst, Math.abs(out[k * 4 * h * w + p] - reference[1].pixels()[p]));
                        assertEquals(reference[0].pixels()[p], Math.abs(out[k * 4 * h * w + p]), 2e-3, "the magnitude is |real|");
                    }
                }
                assertTrue(worst < 2e-3, h + "x" + w + ": worst difference " + worst + " on values of 100");
            }
        }
    }
}
