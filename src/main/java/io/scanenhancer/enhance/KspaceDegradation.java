package io.scanenhancer.enhance;

import io.scanenhancer.diffusion.KspaceOperator;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.image.NoiseEstimate;
import org.jtransforms.fft.DoubleFFT_2D;

import java.util.Random;

/**
 * A low-resolution MR image as a scanner makes it: the inverse FFT of the central part of k-space, not a block average.
 *
 * <p>Grid: as everywhere in this project (Bicubic's half-pixel centres, DerivedGeometry), low-resolution pixel m covers
 * high-resolution pixels s*m .. s*m + s - 1, so its centre lies at high-resolution coordinate s*m + (s - 1) / 2 (pixel
 * n's centre at n). A plain crop of k-space would sample at s*m; the linear phase exp(+2 pi i k (s - 1) / (2 N)) moves
 * the samples half a low-resolution pixel minus half a high-resolution one, onto the right centres, and
 * {@link #zeroFill} applies the conjugate phase to come back.
 *
 * <p>Window: of an M-point axis (M = N / s) the frequencies |k| < M / 2 are kept. For even M a scanner also acquires
 * the unpaired Nyquist line k = -M/2; it is dropped here, because with the half-pixel shift it cannot be represented by
 * a real image (it would make an imaginary part and could not be put back by {@link #project}). It is 1 line in M.
 * With a symmetric window, a real image therefore gives a real low-resolution image before noise, and every operator
 * below is exact on real images (to floating-point rounding).
 *
 * <p>Sizes: images are cropped to a multiple of the scale (the last rows and columns dropped, as
 * {@link FloatImage#croppedToEven}); FFTs of any size (JTransforms, mixed radix and Bluestein).
 */
public final class KspaceDegradation {
    /** The noise estimate the diffusion sampler takes for KSPACE inputs (it zero-fills in torch, as {@link #zeroFilled}). */
    public static final KspaceOperator BY_TWO = (image, height, width) -> NoiseEstimate.robustSd(new FloatImage(height, width, image));

    private KspaceDegradation() {
    }

    /** Apodisation windows scanners apply to k-space before the inverse FFT. */
    public enum Window { NONE, HAMMING, TUKEY, FERMI }

    /**
     * A k-space filter. For TUKEY, {@code a} is the tapered fraction (0 = none, 1 = Hann); for FERMI, {@code a} is the
     * cut-off radius and {@code b} the transition width, both as fractions of the half-window (radial, as on scanners).
     * HAMMING and TUKEY are separable (product of the two axes).
     */
    public record Filter(Window window, double a, double b) {
        public static final Filter NONE = new Filter(Window.NONE, 0, 0);

        public static Filter hamming() {
            return new Filter(Window.HAMMING, 0, 0);
        }

        public static Filter tukey(double taperedFraction) {
            return new Filter(Window.TUKEY, taperedFraction, 0);
        }

        public static Filter fermi(double radius, double width) {
            return new Filter(Window.FERMI, radius, width);
        }

        /** One of the four, with parameters in the ranges product sequences use. */
        public static Filter random(Random random) {
            return switch (random.nextInt(4)) {
                case 0 -> NONE;
                case 1 -> hamming();
                case 2 -> tukey(0.2 + 0.6 * random.nextDouble());
                default -> fermi(0.75 + 0.2 * random.nextDouble(), 0.02 + 0.08 * random.nextDouble());
            };
        }

        /** Weight at normalised frequencies fy, fx in [-1, 1] (1 = the edge of the kept window). */
        double weight(double fy, double fx) {
            return switch (window) {
                case NONE -> 1;
                case HAMMING -> hamming1d(fy) * hamming1d(fx);
                case TUKEY -> tukey1d(fy) * tukey1d(fx);
                case FERMI -> 1 / (1 + Math.exp((Math.hypot(fy, fx) - a) / b));
            };
        }

        private static double hamming1d(double f) {
            return 0.54 + 0.46 * Math.cos(Math.PI * f);
        }

        private double tukey1d(double f) {
            double flat = 1 - a, t = Math.abs(f);
            return t <= flat ? 1 : 0.5 * (1 + Math.cos(Math.PI * (t - flat) / a));
        }
    }

    /** Noise-free, unfiltered degradation by {@code scale} per axis. */
    public static FloatImage degrade(FloatImage highResolution, int scale) {
        return degrade(highResolution, scale, Filter.NONE, 0, null);
    }

    /**
     * The magnitude of the inverse FFT of the kept window of {@code highResolution}'s k-space, filtered, plus complex
     * Gaussian noise of standard deviation {@code noiseSigma} per channel in the low-resolution image (so the
     * magnitude is Rician: on a signal A the mean is about sqrt(A^2 + sigma^2), on background sigma sqrt(pi/2)).
     * Scaled so that a constant image keeps its value.
     */
    public static FloatImage degrade(FloatImage highResolution, int scale, Filter filter, double noiseSigma, Random random) {
        FloatImage hr = croppedToMultiple(highResolution, scale);
        int n = hr.height(), w = hr.width(), m = n / scale, mw = w / scale;
        double[] big = spectrum(hr);
        double[] small = new double[2 * m * mw];
        double norm = (double) m * mw / ((double) n * w);
        double[] py = phasors(m, n, scale), px = phasors(mw, w, scale);
        for (int a = 0; a < m; a++) {
            int ky = frequency(a, m);
            for (int b = 0; b < mw; b++) {
                int kx = frequency(b, mw);
                if (ky == Integer.MIN_VALUE || kx == Integer.MIN_VALUE) {
                    continue;
                }
                int src = 2 * (Math.floorMod(ky, n) * w + Math.floorMod(kx, w));
                double g = norm * filter.weight(ky / (m / 2.0), kx / (mw / 2.0));
                rotateInto(small, 2 * (a * mw + b), big[src], big[src + 1], py, a, px, b, false, g);
            }
        }
        new DoubleFFT_2D(m, mw).complexInverse(small, true);
        float[] out = new float[m * mw];
        for (int p = 0; p < out.length; p++) {
            double re = small[2 * p], im = small[2 * p + 1];
            if (noiseSigma > 0) {
                re += noiseSigma * random.nextGaussian();
                im += noiseSigma * random.nextGaussian();
            }
            out[p] = (float) Math.sqrt(re * re + im * im); // intensities: no overflow for hypot to guard against
        }
        return new FloatImage(m, mw, out);
    }

    /**
     * Zero-filled (sinc) interpolation by {@code scale}: FFT of the low-resolution image, its kept window placed in the
     * middle of a k-space {@code scale} times larger with zeros around it (and the conjugate half-pixel phase),
     * inverse FFT, magnitude, scaled so that intensities keep their values. Output pixel n sits at the centres of
     * {@link Bicubic#upscale}'s output. For an image band-limited to the kept window,
     * {@code zeroFill(degrade(x))} is x.
     */
    public static FloatImage zeroFill(FloatImage lowResolution, int scale) {
        return zeroFilled(lowResolution, scale)[0];
    }

    /**
     * {@link #zeroFill}'s magnitude and the complex image's real part, from one inverse FFT. For a real input the kept
     * window is Hermitian (its Nyquist lines are dropped), so the image is real up to rounding and the magnitude is
     * |real part|; the real part is the one image whose spectrum is the window and nothing else.
     */
    public static FloatImage[] zeroFilled(FloatImage lowResolution, int scale) {
        int m = lowResolution.height(), mw = lowResolution.width(), n = m * scale, w = mw * scale;
        double[] big = new double[2 * n * w];
        putWindow(lowResolution, scale, big);
        new DoubleFFT_2D(n, w).complexInverse(big, true);
        float[] magnitude = new float[n * w], real = new float[n * w];
        for (int p = 0; p < magnitude.length; p++) {
            double re = big[2 * p], im = big[2 * p + 1];
            magnitude[p] = (float) Math.sqrt(re * re + im * im);
            real[p] = (float) re;
        }
        return new FloatImage[] {new FloatImage(n, w, magnitude), new FloatImage(n, w, real)};
    }

    /**
     * Data consistency for a magnitude output: treats both images as real-valued (magnitude as if it were the signal,
     * phase zero), replaces the output's k-space inside the kept window by what the input implies there (the input's
     * spectrum with the conjugate half-pixel phase, as in {@link #zeroFill}), keeps the output's k-space outside it,
     * and returns the real part. It is the orthogonal (least-squares) projection of a real image onto the real images
     * whose kept window equals lowResolution's (lowResolution's own Nyquist lines, which degrade never produces, are
     * ignored), and it is idempotent. Exact where the model
     * holds: degrade(project(x, lr)) == lr when lr is real, non-negative and has no energy on the dropped Nyquist
     * lines, which is true of any noise-free, unfiltered degrade of an image whose band-limited version is
     * non-negative. Where a real scan departs from it (phase, Rician noise floor, filter, negative ringing made
     * positive by the magnitude) it enforces the nearest such image, not the scanner's own data.
     */
    public static FloatImage project(FloatImage highResolution, FloatImage lowResolution, int scale) {
        FloatImage hr = croppedToMultiple(highResolution, scale);
        int n = hr.height(), w = hr.width();
        if (n != lowResolution.height() * scale || w != lowResolution.width() * scale) {
            throw new IllegalArgumentException(hr.height() + "x" + hr.width() + " is not " + scale + "x "
                    + lowResolution.height() + "x" + lowResolution.width());
        }
        double[] big = spectrum(hr);
        putWindow(lowResolution, scale, big);
        new DoubleFFT_2D(n, w).complexInverse(big, true);
        float[] out = new float[n * w];
        for (int p = 0; p < out.length; p++) {
            out[p] = (float) big[2 * p];
        }
        return new FloatImage(n, w, out);
    }

    /** Overwrites the kept window of the high-resolution spectrum {@code big} with the low-resolution image's. */
    private static void putWindow(FloatImage lowResolution, int scale, double[] big) {
        int m = lowResolution.height(), mw = lowResolution.width(), n = m * scale, w = mw * scale;
        double[] small = spectrum(lowResolution);
        double norm = (double) n * w / ((double) m * mw);
        double[] py = phasors(m, n, scale), px = phasors(mw, w, scale);
        for (int a = 0; a < m; a++) {
            int ky = frequency(a, m);
            for (int b = 0; b < mw; b++) {
                int kx = frequency(b, mw);
                if (ky == Integer.MIN_VALUE || kx == Integer.MIN_VALUE) {
                    continue;
                }
                int dst = 2 * (Math.floorMod(ky, n) * w + Math.floorMod(kx, w));
                rotateInto(big, dst, small[2 * (a * mw + b)], small[2 * (a * mw + b) + 1], py, a, px, b, true, norm);
            }
        }
    }

    /** Signed frequency of FFT bin a of an m-point axis, or MIN_VALUE for the unpaired Nyquist bin of an even m. */
    private static int frequency(int a, int m) {
        if (m % 2 == 0 && a == m / 2) {
            return Integer.MIN_VALUE;
        }
        return a <= m / 2 ? a : a - m;
    }

    /**
     * cos and sin of the shift by (scale - 1) / 2 high-resolution pixels at each bin of an m-point axis of an n-point
     * spectrum, interleaved: per axis, so that a 2-D bin's phase is a product of two of them (m + mw trigonometric
     * calls per image instead of m x mw).
     */
    private static double[] phasors(int m, int n, int scale) {
        double[] p = new double[2 * m];
        for (int a = 0; a < m; a++) {
            int k = frequency(a, m);
            double angle = k == Integer.MIN_VALUE ? 0 : 2 * Math.PI * k * ((scale - 1) / 2.0) / n;
            p[2 * a] = Math.cos(angle);
            p[2 * a + 1] = Math.sin(angle);
        }
        return p;
    }

    /** dst[at] = gain (re + i im) e^(+-i (phase_y(a) + phase_x(b))), the minus sign for {@code conjugate}. */
    private static void rotateInto(double[] dst, int at, double re, double im, double[] py, int a, double[] px, int b,
                                   boolean conjugate, double gain) {
        double cy = py[2 * a], sy = py[2 * a + 1], cx = px[2 * b], sx = px[2 * b + 1];
        double c = cy * cx - sy * sx, s = sy * cx + cy * sx;
        if (conjugate) {
            s = -s;
        }
        dst[at] = gain * (re * c - im * s);
        dst[at + 1] = gain * (re * s + im * c);
    }

    /** Full complex spectrum of a real image (JTransforms' real transform: about half the work of a complex one). */
    private static double[] spectrum(FloatImage img) {
        double[] a = new double[2 * img.pixels().length];
        for (int p = 0; p < img.pixels().length; p++) {
            a[p] = img.pixels()[p];
        }
        new DoubleFFT_2D(img.height(), img.width()).realForwardFull(a);
        return a;
    }

    /** The image without its last rows and columns beyond a multiple of {@code scale}. */
    public static FloatImage croppedToMultiple(FloatImage img, int scale) {
        int h = img.height() - img.height() % scale, w = img.width() - img.width() % scale;
        if (h == img.height() && w == img.width()) {
            return img;
        }
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            System.arraycopy(img.pixels(), y * img.width(), out, y * w, w);
        }
        return new FloatImage(h, w, out);
    }
}
