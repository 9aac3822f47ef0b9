package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** The two image operators the model is defined by, on (B, 1, H, W) arrays. */
final class ImageOps {
    private static final int BICUBIC = 3; // ordinal of ai.djl.modality.cv.Image.Interpolation.BICUBIC

    private ImageOps() {
    }

    /** 2x2 box average: the degradation the model inverts. */
    static NDArray boxDown(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), s.get(2) / 2, 2, s.get(3) / 2, 2).mean(new int[] {5}).mean(new int[] {3});
    }

    /** Nearest-neighbour 2x upsampling; the adjoint (up to a factor 4) of {@link #boxDown}. */
    static NDArray nearestUp(NDArray x) {
        return x.repeat(2, 2).repeat(3, 2);
    }

    /** libtorch's bicubic 2x upsampling (align_corners=False): the conditioning image, as in training. */
    static NDArray bicubicUp(NDArray x) {
        Shape s = x.getShape();
        return x.getNDArrayInternal().interpolation(new long[] {s.get(2) * 2, s.get(3) * 2}, BICUBIC, false);
    }

    /**
     * Projects high-resolution images onto {z : boxDown(z) = lowRes}. For the box operator the orthogonal projection
     * is z + nearestUp(lowRes - boxDown(z)), because boxDown(nearestUp(d)) = d.
     *
     * <p>Only for {@link Degradation#AREA} inputs. For a KSPACE input the consistent set is another one, and its
     * projection is io.scanenhancer.enhance.KspaceDegradation.project (an FFT outside this pure-DJL package): it
     * treats the magnitude images as real signals with zero phase, overwrites the output's k-space inside the
     * acquired window with the input's (with the half-pixel phase), keeps the output's k-space outside it, and takes
     * the real part. That is the least-squares projection onto the real images whose acquired window equals the
     * input's; it does not restore the scanner's phase or undo the Rician noise floor or the k-space filter, so on a
     * filtered or noisy input it enforces the nearest such real image, not the scanner's complex data. The training
     * objectives apply no projection (their loss is on the network's raw output), so training needs neither.
     */
    static NDArray projectConsistent(NDArray highRes, NDArray lowRes) {
        return highRes.add(nearestUp(lowRes.sub(boxDown(highRes))));
    }
}
