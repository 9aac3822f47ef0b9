package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;

/**
 * Runs a {@link Conv2d} so that libtorch computes it right on CPUs with AVX-512.
 *
 * <p>Why: for a batch larger than one, libtorch 2.7.1 (the DJL 0.36 natives) computes 3x3 CPU convolutions with
 * oneDNN, which stores channels in blocks of the SIMD width (16 floats with AVX-512). Where a channel count is not a
 * multiple of the block, the blocked layout has padding channels that nobody initialised, and the jit:avx512_core
 * kernels read them: the forward pass is wrong when there are more than 16 input channels and not a multiple of 16
 * (24 -> 8: off by 11.5 on outputs of unit scale), and the input gradient is wrong when the output channels are not a
 * multiple of 16 (8 -> 8 and 32 -> 4: off by 13.7; NaN with glibc malloc, finite garbage with tcmalloc). With AVX2
 * the block is 8 and the same happens for 4 output channels. This class therefore pads the channels with zeros up to
 * a multiple of 16 (input channels always, output channels while training, where the gradient needs them) and drops
 * the extra output channels again: the same function, computed without padding inside oneDNN.
 * AlignedConvolutionTest checks a direct computation and that a batch's gradient is the sum of its samples'.
 */
final class AlignedConvolution {
    /** A multiple of every oneDNN f32 channel block on x86 (8 for SSE4.1 and AVX2, 16 for AVX-512). */
    static final int CHANNEL_BLOCK = 16;

    private AlignedConvolution() {
    }

    static NDArray forward(Conv2d conv, ParameterStore store, NDArray x, boolean training) {
        Shape xs = x.getShape();
        int extraIn = missing(xs.get(1));
        int extraOut = training ? missing(conv.getFilters()) : 0;
        if (extraIn == 0 && extraOut == 0) {
            return conv.forward(store, new NDList(x), training).head();
        }
        if (conv.getGroups() != 1) {
            throw new IllegalArgumentException("grouped convolutions are not padded");
        }
        NDArray weight = store.getValue(parameter(conv, "weight"), x.getDevice(), training);
        Parameter biasParameter = conv.getParameters().get("bias");
        NDArray bias = biasParameter == null ? null : store.getValue(biasParameter, x.getDevice(), training);
        // zeros first: a result joins its first operand's manager, and x's (the step's or the call's) is freed with it
        NDManager m = x.getManager();
        Shape w = weight.getShape();
        if (extraIn > 0) {
            x = m.zeros(new Shape(xs.get(0), extraIn, xs.get(2), xs.get(3)), x.getDataType()).concat(x, 1);
            weight = m.zeros(new Shape(w.get(0), extraIn, w.get(2), w.get(3)), weight.getDataType()).concat(weight, 1);
        }
        if (extraOut > 0) {
            weight = m.zeros(new Shape(extraOut, w.get(1) + extraIn, w.get(2), w.get(3)), weight.getDataType()).concat(weight, 0);
            bias = bias == null ? null : m.zeros(new Shape(extraOut), bias.getDataType()).concat(bias, 0);
        }
        NDArray y = x.getNDArrayInternal().convolution(x, weight, bias, conv.getStride(), conv.getPadding(),
                conv.getDilation(), 1).head();
        return extraOut == 0 ? y : y.split(new long[] {extraOut}, 1).get(1);
    }

    private static int missing(long channels) {
        return (int) ((CHANNEL_BLOCK - channels % CHANNEL_BLOCK) % CHANNEL_BLOCK);
    }

    private static Parameter parameter(Conv2d conv, String name) {
        Parameter p = conv.getParameters().get(name);
        if (p == null) {
            throw new IllegalStateException("convolution without a " + name + " parameter");
        }
        return p;
    }
}
