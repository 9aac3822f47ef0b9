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
     */
    static NDArray projectConsistent(NDArray highRes, NDArray lowRes) {
        return highRes.add(nearestUp(lowRes.sub(boxDown(highRes))));
    }
}
