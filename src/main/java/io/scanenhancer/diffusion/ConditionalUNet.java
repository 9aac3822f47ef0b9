package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A small conditional U-Net for 2x super-resolution, sized for CPUs.
 *
 * <p>Inputs: {@code x} (B, 2, H, W) = the noisy high-resolution residual and the upsampled low-resolution image
 * (SR3's conditioning by concatenation, Saharia et al. 2021, section 2.3), with a third constant channel naming the
 * degradation where the {@link Formulation} asks for it, and the sinusoidal timestep embedding
 * (B, {@link #EMBEDDING}). Output (B, 1, H, W).
 *
 * <p>The first layer is a pixel unshuffle (space-to-depth, Shi et al. 2016), so the whole network runs at the
 * low-resolution grid: 4x fewer operations than at full size and no loss of information, which is what makes a
 * 512x512 output affordable on two cores. Three levels (channels c0, c1, c2), one residual block per level on the
 * way down, two in the middle, one on the way up with skip concatenation.
 */
public final class ConditionalUNet extends AbstractBlock {
    public static final int EMBEDDING = 64;
    private static final int GROUPS = 8;

    private final int[] channels;
    private final Conv2d inConv;
    private final Linear time1;
    private final Linear time2;
    private final ResidualBlock down0;
    private final Conv2d pool0;
    private final ResidualBlock down1;
    private final Conv2d pool1;
    private final ResidualBlock mid0;
    private final ResidualBlock mid1;
    private final ResidualBlock up1;
    private final ResidualBlock up0;
    private final GroupNorm outNorm;
    private final Conv2d outConv;

    public ConditionalUNet(int[] channels) {
        if (channels.length != 3) {
            throw new IllegalArgumentException("three channel widths expected");
        }
        this.channels = channels.clone();
        int c0 = channels[0], c1 = channels[1], c2 = channels[2];
        inConv = addChildBlock("in", ResidualBlock.conv(c0, 3));
        time1 = addChildBlock("time1", Linear.builder().setUnits(2L * EMBEDDING).build());
        time2 = addChildBlock("time2", Linear.builder().setUnits(2L * EMBEDDING).build());
        down0 = addChildBlock("down0", new ResidualBlock(c0, c0, GROUPS));
        pool0 = addChildBlock("pool0", strided(c0));
        down1 = addChildBlock("down1", new ResidualBlock(c0, c1, GROUPS));
        pool1 = addChildBlock("pool1", strided(c1));
        mid0 = addChildBlock("mid0", new ResidualBlock(c1, c2, GROUPS));
        mid1 = addChildBlock("mid1", new ResidualBlock(c2, c2, GROUPS));
        up1 = addChildBlock("up1", new ResidualBlock(c2 + c1, c1, GROUPS));
        up0 = addChildBlock("up0", new ResidualBlock(c1 + c0, c0, GROUPS));
        outNorm = addChildBlock("outNorm", new GroupNorm(GROUPS, c0));
        outConv = addChildBlock("out", ResidualBlock.conv(4, 3));
    }

    private static Conv2d strided(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(filters)
                .optPadding(new Shape(1, 1)).optStride(new Shape(2, 2)).build();
    }

    /** The inputs for a batch of {@code batch} images of size x size: x (B, 2, size, size) and the embedding. */
    public static Shape[] inputShapes(int batch, int size) {
        return inputShapes(batch, size, 2);
    }

    /**
     * As above with {@code imageChannels} image channels (3 with the degradation channel, {@link Formulation}); the
     * first convolution takes its width from the shape it is initialised with, the rest of the network is the same.
     */
    public static Shape[] inputShapes(int batch, int size, int imageChannels) {
        return new Shape[] {new Shape(batch, imageChannels, size, size), new Shape(batch, EMBEDDING)};
    }

    /** The input's height and width must be multiples of this. */
    public static int sizeMultiple() {
        return 8;
    }

    /** Sinusoidal embedding of the timesteps (Vaswani et al. 2017, section 3.5, as used by Ho et al. 2020). */
    public static float[] timestepEmbedding(int[] timesteps) {
        int half = EMBEDDING / 2;
        float[] e = new float[timesteps.length * EMBEDDING];
        for (int b = 0; b < timesteps.length; b++) {
            for (int i = 0; i < half; i++) {
                double freq = Math.exp(-Math.log(10000) * i / half);
                double a = timesteps[b] * freq;
                e[b * EMBEDDING + i] = (float) Math.sin(a);
                e[b * EMBEDDING + half + i] = (float) Math.cos(a);
            }
        }
        return e;
    }

    static NDArray pixelUnshuffle(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
        return x.reshape(b, c, h / 2, 2, w / 2, 2).transpose(0, 1, 3, 5, 2, 4).reshape(b, c * 4, h / 2, w / 2);
    }

    static NDArray pixelShuffle(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0), c = s.get(1) / 4, h = s.get(2), w = s.get(3);
        return x.reshape(b, c, 2, 2, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(b, c, h * 2, w * 2);
    }

    private static NDArray upsample(NDArray x) {
        return x.repeat(2, 2).repeat(3, 2);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        // in inference every step runs in its own scope (InferenceScope): only its result outlives it, so the peak is
        // one block's working set instead of every intermediate of the whole forward
        NDArray x = InferenceScope.keep(training, () -> pixelUnshuffle(inputs.get(0)));
        NDArray embedding = training ? inputs.get(1) : InferenceScope.sharedRow(inputs.get(1));
        NDArray e = InferenceScope.keep(training, () -> time2.forward(store,
                new NDList(ResidualBlock.silu(time1.forward(store, new NDList(embedding), training).head())), training).head());

        // every convolution goes through AlignedConvolution: libtorch's CPU kernels go wrong on unaligned channel counts
        NDArray in = InferenceScope.keep(training, () -> AlignedConvolution.forward(inConv, store, x, training));
        NDArray skip0 = InferenceScope.keep(training, () -> down0.forward(store, new NDList(in, e), training).head());
        NDArray h = InferenceScope.keep(training, () -> down1.forward(store,
                new NDList(AlignedConvolution.forward(pool0, store, skip0, training), e), training).head());
        NDArray skip1 = h;
        h = InferenceScope.keep(training, () -> mid0.forward(store,
                new NDList(AlignedConvolution.forward(pool1, store, skip1, training), e), training).head());
        NDArray m0 = h;
        h = InferenceScope.keep(training, () -> mid1.forward(store, new NDList(m0, e), training).head());
        NDArray m1 = h;
        h = InferenceScope.keep(training, () -> up1.forward(store, new NDList(upsample(m1).concat(skip1, 1), e), training).head());
        NDArray u1 = h;
        h = InferenceScope.keep(training, () -> up0.forward(store, new NDList(upsample(u1).concat(skip0, 1), e), training).head());
        NDArray u0 = h;
        return new NDList(InferenceScope.keep(training, () -> pixelShuffle(AlignedConvolution.forward(outConv, store,
                ResidualBlock.silu(outNorm.forward(store, new NDList(u0), training).head()), training))));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), 1, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        long b = s.get(0), h = s.get(2) / 2, w = s.get(3) / 2;
        int c0 = channels[0], c1 = channels[1], c2 = channels[2];
        Shape emb = new Shape(b, 2L * EMBEDDING);
        inConv.initialize(manager, dataType, new Shape(b, s.get(1) * 4, h, w));
        time1.initialize(manager, dataType, inputShapes[1]);
        time2.initialize(manager, dataType, emb);
        down0.initialize(manager, dataType, new Shape(b, c0, h, w), emb);
        pool0.initialize(manager, dataType, new Shape(b, c0, h, w));
        down1.initialize(manager, dataType, new Shape(b, c0, h / 2, w / 2), emb);
        pool1.initialize(manager, dataType, new Shape(b, c1, h / 2, w / 2));
        mid0.initialize(manager, dataType, new Shape(b, c1, h / 4, w / 4), emb);
        mid1.initialize(manager, dataType, new Shape(b, c2, h / 4, w / 4), emb);
        up1.initialize(manager, dataType, new Shape(b, c2 + c1, h / 2, w / 2), emb);
        up0.initialize(manager, dataType, new Shape(b, c1 + c0, h, w), emb);
        outNorm.initialize(manager, dataType, new Shape(b, c0, h, w));
        outConv.initialize(manager, dataType, new Shape(b, c0, h, w));
    }

    /** The output convolution, initialised to zero so that training starts from "residual = 0" (bicubic). */
    public Conv2d outputConvolution() {
        return outConv;
    }
}
