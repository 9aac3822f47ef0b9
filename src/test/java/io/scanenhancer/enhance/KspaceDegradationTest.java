package io.scanenhancer.enhance;

import io.scanenhancer.image.FloatImage;
import io.scanenhancer.volume.NiftiVolume;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KspaceDegradationTest {

    /** A positive image made of cosines with frequencies inside the kept window of a 2x degradation. */
    private static DoubleBinaryOperator bandLimited(int h, int w, long seed) {
        Random r = new Random(seed);
        int terms = 12;
        double[] ky = new double[terms], kx = new double[terms], amp = new double[terms], phase = new double[terms];
        for (int t = 0; t < terms; t++) {
            ky[t] = r.nextInt(h / 4 - 1) * (r.nextBoolean() ? 1 : -1); // |k| < M/2 = h/4
            kx[t] = r.nextInt(w / 4 - 1) * (r.nextBoolean() ? 1 : -1);
            amp[t] = 5 * r.nextDouble();
            phase[t] = 2 * Math.PI * r.nextDouble();
        }
        return (y, x) -> {
            double v = 100;
            for (int t = 0; t < terms; t++) {
                v += amp[t] * Math.cos(2 * Math.PI * (ky[t] * y / h + kx[t] * x / w) + phase[t]);
            }
            return v;
        };
    }

    private static FloatImage sample(DoubleBinaryOperator f, int h, int w, double scale, double offset) {
        float[] p = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p[y * w + x] = (float) f.applyAsDouble(scale * y + offset, scale * x + offset);
            }
        }
        return new FloatImage(h, w, p);
    }

    private static double maxAbsDiff(FloatImage a, FloatImage b) {
        double m = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            m = Math.max(m, Math.abs(a.pixels()[i] - b.pixels()[i]));
        }
        return m;
    }

    @Test
    void lowResolutionPixelsSitAtTheCentresOfTheirTwoByTwoBlocks() {
        int h = 64, w = 48;
        DoubleBinaryOperator f = bandLimited(h, w, 1);
        FloatImage lr = KspaceDegradation.degrade(sample(f, h, w, 1, 0), 2);
        // LR pixel m covers HR pixels 2m and 2m+1: its centre is HR coordinate 2m + 0.5
        assertTrue(maxAbsDiff(lr, sample(f, h / 2, w / 2, 2, 0.5)) < 1e-3, "samples at 2m + 0.5");
        assertTrue(maxAbsDiff(lr, sample(f, h / 2, w / 2, 2, 0)) > 0.5, "and not at 2m");
    }

    @Test
    void zeroFillingADegradedBandLimitedImageReturnsIt() {
        int h = 64, w = 48;
        FloatImage x = sample(bandLimited(h, w, 2), h, w, 1, 0);
        FloatImage back = KspaceDegradation.zeroFill(KspaceDegradation.degrade(x, 2), 2);
        assertEquals(h, back.height());
        assertEquals(w, back.width());
        assertTrue(maxAbsDiff(x, back) < 1e-3, "max error " + maxAbsDiff(x, back));
    }

    @Test
    void boxAndKspaceDegradationAgreeOnASmoothImageAtTheSamePositions() {
        int h = 96, w = 80;
        DoubleBinaryOperator blob = (y, x) -> 200 * Math.exp(-((y - 45.3) * (y - 45.3) + (x - 38.7) * (x - 38.7)) / (2 * 8.0 * 8.0));
        FloatImage hr = sample(blob, h, w, 1, 0);
        FloatImage box = BoxDegradation.downscale(hr, 2), kspace = KspaceDegradation.degrade(hr, 2);
        double agree = maxAbsDiff(box, kspace);
        // the same grid: differences are the O(h^2 f'') smoothing of a 2-pixel box (at sigma 8 px: about 0.3% of 200)
        assertTrue(agree < 1.0, "box vs k-space " + agree);
        // a half-pixel misregistration would be several times larger
        FloatImage shifted = sample(blob, h / 2, w / 2, 2, 0);
        assertTrue(maxAbsDiff(box, shifted) > 5 * agree, "misplaced grid " + maxAbsDiff(box, shifted));
        // zero-filling and bicubic put their outputs back on the high-resolution centres: both land near the truth,
        // zero-filling (exact for a band-limited image; this blob nearly is) much nearer than half a pixel's shift
        double zeroFill = maxAbsDiff(KspaceDegradation.zeroFill(kspace, 2), hr);
        double bicubic = maxAbsDiff(Bicubic.upscale(kspace, 2), hr);
        double halfPixel = maxAbsDiff(sample(blob, h, w, 1, 0.5), hr);
        assertTrue(zeroFill < 0.05, "zero-fill vs truth " + zeroFill);
        assertTrue(bicubic < 0.5 * halfPixel, "bicubic vs truth " + bicubic + ", half a pixel off " + halfPixel);
    }

    @Test
    void projectionIsIdempotentAndReproducesItsInput() throws IOException {
        NiftiVolume ch2 = NiftiVolume.read(Path.of("/usr/share/mricron/templates/ch2.nii.gz"));
        FloatImage x = new FloatImage(ch2.ny(), ch2.nx(), ch2.axial(60)).croppedToEven();
        float[] y = ch2.axial(120).clone();
        for (int i = 0; i < y.length; i++) {
            y[i] += 50; // keeps the band-limited image positive, so the magnitude changes nothing
        }
        FloatImage lr = KspaceDegradation.degrade(new FloatImage(ch2.ny(), ch2.nx(), y), 2);

        FloatImage p = KspaceDegradation.project(x, lr, 2);
        assertTrue(maxAbsDiff(KspaceDegradation.degrade(p, 2), lr) < 1e-3, "degrade(project(x, lr)) == lr");
        assertTrue(maxAbsDiff(KspaceDegradation.project(p, lr, 2), p) < 1e-3, "idempotent");
        assertTrue(maxAbsDiff(p, x) > 10, "and it did change x");
        // a noisy input (Rician, with Nyquist content) is still projected idempotently
        FloatImage noisy = KspaceDegradation.degrade(x, 2, KspaceDegradation.Filter.hamming(), 4, new Random(3));
        FloatImage q = KspaceDegradation.project(x, noisy, 2);
        assertTrue(maxAbsDiff(KspaceDegradation.project(q, noisy, 2), q) < 1e-3);
    }

    @Test
    void noiseIsComplexSoTheBackgroundIsRayleigh() {
        FloatImage zero = new FloatImage(128, 128, new float[128 * 128]);
        FloatImage lr = KspaceDegradation.degrade(zero, 2, KspaceDegradation.Filter.NONE, 3, new Random(4));
        double mean = 0;
        for (float v : lr.pixels()) {
            mean += v;
            assertTrue(v >= 0);
        }
        mean /= lr.pixels().length;
        assertEquals(3 * Math.sqrt(Math.PI / 2), mean, 0.1, "Rayleigh mean sigma sqrt(pi/2)");
    }

    @Test
    void filtersKeepTheMeanAndDampHighFrequencies() {
        int h = 64, w = 64;
        // a cosine just inside the window, on a constant
        FloatImage hr = sample((y, x) -> 100 + 20 * Math.cos(2 * Math.PI * 14 * x / w), h, w, 1, 0);
        FloatImage plain = KspaceDegradation.degrade(hr, 2);
        for (KspaceDegradation.Filter f : new KspaceDegradation.Filter[] {KspaceDegradation.Filter.hamming(),
                KspaceDegradation.Filter.tukey(0.5), KspaceDegradation.Filter.fermi(0.8, 0.05)}) {
            FloatImage lr = KspaceDegradation.degrade(hr, 2, f, 0, null);
            double mean = 0, ripple = 0, plainRipple = 0;
            for (int i = 0; i < lr.pixels().length; i++) {
                mean += lr.pixels()[i];
                ripple = Math.max(ripple, Math.abs(lr.pixels()[i] - 100));
                plainRipple = Math.max(plainRipple, Math.abs(plain.pixels()[i] - 100));
            }
            assertEquals(100, mean / lr.pixels().length, 0.1, f + " keeps the mean");
            assertTrue(ripple < 0.8 * plainRipple, f + " damps frequency 14 of 16: " + ripple + " vs " + plainRipple);
        }
    }

    @Test
    void randomDegradationIsDeterministicAndOddSizesAreCropped() {
        FloatImage odd = sample(bandLimited(64, 48, 5), 65, 49, 1, 0);
        KspaceDegradation.Filter f1 = KspaceDegradation.Filter.random(new Random(9));
        KspaceDegradation.Filter f2 = KspaceDegradation.Filter.random(new Random(9));
        assertEquals(f1, f2);
        FloatImage a = KspaceDegradation.degrade(odd, 2, f1, 2, new Random(10));
        FloatImage b = KspaceDegradation.degrade(odd, 2, f2, 2, new Random(10));
        assertEquals(32, a.height());
        assertEquals(24, a.width());
        assertArrayEquals(a.pixels(), b.pixels());
        assertEquals(64, KspaceDegradation.zeroFill(a, 2).height());
    }
}
