package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The residual block of DDPM's U-Net (Ho et al. 2020, appendix B): GroupNorm, SiLU, 3x3 conv, plus a projection of
 * the timestep embedding added per channel, then GroupNorm, SiLU, 3x3 conv, and a 1x1 skip where the width changes.
 * Inputs: x (B, Cin, H, W) and the timestep embedding (B, E).
 */
public final class ResidualBlock extends AbstractBlock {
    private final int in;
    private final int out;
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final Linear timeProjection;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d skip;

    public ResidualBlock(int in, int out, int groups) {
        this.in = in;
        this.out = out;
        norm1 = addChildBlock("norm1", new GroupNorm(groups, in));
        conv1 = addChildBlock("conv1", conv(out, 3));
        timeProjection = addChildBlock("time", Linear.builder().setUnits(out).build());
        norm2 = addChildBlock("norm2", new GroupNorm(groups, out));
        conv2 = addChildBlock("conv2", conv(out, 3));
        skip = in == out ? null : addChildBlock("skip", conv(out, 1));
    }

    static Conv2d conv(int filters, int kernel) {
        int pad = kernel / 2;
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters)
                .optPadding(new Shape(pad, pad)).build();
    }

    /** SiLU written as x * sigmoid(x): DJL's Activation.swish passes a Java number into the graph (STACK.md). */
    static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray embedding = inputs.get(1);
        NDArray h = norm1.forward(store, new NDList(x), training).head();
        h = AlignedConvolution.forward(conv1, store, silu(h), training);
        NDArray t = timeProjection.forward(store, new NDList(silu(embedding)), training).head();
        h = h.add(t.reshape(t.getShape().get(0), out, 1, 1));
        h = norm2.forward(store, new NDList(h), training).head();
        h = AlignedConvolution.forward(conv2, store, silu(h), training);
        NDArray shortcut = skip == null ? x : AlignedConvolution.forward(skip, store, x, training);
        return new NDList(h.add(shortcut));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), out, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape y = new Shape(x.get(0), out, x.get(2), x.get(3));
        norm1.initialize(manager, dataType, x);
        conv1.initialize(manager, dataType, x);
        timeProjection.initialize(manager, dataType, inputShapes[1]);
        norm2.initialize(manager, dataType, y);
        conv2.initialize(manager, dataType, y);
        if (skip != null) {
            skip.initialize(manager, dataType, x);
        }
    }

    int inChannels() {
        return in;
    }
}
