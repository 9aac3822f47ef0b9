package io.scanenhancer.training;

import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.enhance.BoxDegradation;
import io.scanenhancer.enhance.KspaceDegradation;
import io.scanenhancer.image.FloatImage;

import java.util.Random;
import java.util.Set;

/**
 * The low-resolution image of a pair, made from the whole augmented high-resolution image (before the patch is cut,
 * as a scanner sees its whole field of view), and its classical upsampling where that is not bicubic.
 * <ul>
 * <li>{@link Degradation#AREA} (v2's): in half the pairs a Gaussian blur of sigma U(0, 0.5) before the 2x2 box
 *     average, in half the pairs additive Gaussian noise of sigma U(0, 2%) of the image's maximum after it
 *     (augmentation kinds {@code blur} and {@code noise}). Baseline: bicubic (libtorch's, in the objective).</li>
 * <li>{@link Degradation#KSPACE}: {@link KspaceDegradation#degrade} with {@link KspaceDegradation.Filter#random}
 *     (none, Hamming, Tukey with tapered fraction U(0.2, 0.8), Fermi with radius U(0.75, 0.95) and width
 *     U(0.02, 0.10), a quarter each) and, in half the pairs, complex Gaussian noise of sigma = white-matter level /
 *     SNR per channel with SNR log-uniform in [{@value #SNR_LOW}, {@value #SNR_HIGH}] (as KspaceBaseline sets it:
 *     relative to white matter, which sits at SNR 30 there); the other half is noise-free. No blur or additive
 *     jitter: the filter and the complex noise are the scanner's own, and the low-resolution image is exactly
 *     {@code degrade(highRes, 2, filter, noiseSigma, new Random(noiseSeed))}. Baseline: zero-filling of it.</li>
 * </ul>
 */
final class PairDegradation {
    static final double SNR_LOW = 10;
    static final double SNR_HIGH = 80;

    /**
     * @param zeroFilled the zero-filled upsampling of {@code pixels} (KSPACE), or null (AREA: bicubic)
     * @param filter     the k-space filter drawn (KSPACE), or null
     * @param noiseSeed  seeds the complex noise of {@link KspaceDegradation#degrade} (KSPACE)
     */
    record LowResolution(Degradation degradation, FloatImage image, FloatImage zeroFilled, KspaceDegradation.Filter filter,
                         double noiseSigma, long noiseSeed) {
    }

    private PairDegradation() {
    }

    static LowResolution apply(Degradation degradation, Augmentation.Result a, Random random, Set<Augmentation.Kind> kinds) {
        return degradation == Degradation.AREA ? area(a, random, kinds) : kspace(a, random);
    }

    /** v2's degradation, drawing its random numbers in v2's order whichever kinds are on. */
    private static LowResolution area(Augmentation.Result a, Random random, Set<Augmentation.Kind> kinds) {
        FloatImage highRes = a.highRes();
        FloatImage blurred = highRes;
        if (random.nextBoolean()) {
            double sigma = random.nextDouble() * 0.5;
            blurred = kinds.contains(Augmentation.Kind.BLUR) ? Augmentation.gaussianBlur(highRes, sigma) : highRes;
        }
        FloatImage lowRes = BoxDegradation.downscale(blurred, 2);
        if (random.nextBoolean()) {
            float sigma = (float) (random.nextDouble() * 0.02 * a.highResMax());
            boolean add = kinds.contains(Augmentation.Kind.NOISE);
            float[] l = lowRes.pixels();
            for (int i = 0; i < l.length; i++) {
                float n = (float) random.nextGaussian() * sigma;
                if (add) {
                    l[i] += n;
                }
            }
        }
        return new LowResolution(Degradation.AREA, lowRes, null, null, 0, 0);
    }

    private static LowResolution kspace(Augmentation.Result a, Random random) {
        KspaceDegradation.Filter filter = KspaceDegradation.Filter.random(random);
        boolean noisy = random.nextBoolean();
        double snr = Math.exp(Math.log(SNR_LOW) + random.nextDouble() * (Math.log(SNR_HIGH) - Math.log(SNR_LOW)));
        long seed = random.nextLong();
        double sigma = noisy ? a.referenceLevel() / snr : 0;
        FloatImage lowRes = KspaceDegradation.degrade(a.highRes(), 2, filter, sigma, new Random(seed));
        return new LowResolution(Degradation.KSPACE, lowRes, KspaceDegradation.zeroFill(lowRes, 2), filter, sigma, seed);
    }
}
