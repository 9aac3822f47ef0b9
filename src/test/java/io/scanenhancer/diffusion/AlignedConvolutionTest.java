package io.scanenhancer.diffusion;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The network's convolutions and their gradients are right for a batch, whatever the channel counts. Before
 * {@link AlignedConvolution}, libtorch's oneDNN kernels on AVX-512 CPUs gave wrong outputs for 24 input channels and
 * wrong input gradients (NaN with glibc malloc) for 4 or 8 filters, and training went NaN in a step or two.
 */
class AlignedConvolutionTest {

    /** Output, input and weight gradients of a 3x3 convolution (stride 1, padding 1) against direct sums in Java. */
    @Test
    void convolutionMatchesADirectComputation() {
        for (int[] channels : new int[][] {{8, 4}, {8, 8}, {24, 8}, {16, 16}}) {
            int batch = 2, in = channels[0], filters = channels[1], size = 8;
            try (NDManager m = NDManager.newBaseManager()) {
                Conv2d conv = ResidualBlock.conv(filters, 3);
                Shape xs = new Shape(batch, in, size, size);
                conv.initialize(m, DataType.FLOAT32, xs);
                ParameterStore store = new ParameterStore(m, false);
                Random r = new Random(filters);
                float[] xd = gaussian(r, xs.size());
                float[] gd = gaussian(r, (long) batch * filters * size * size);
                NDArray x = m.create(xd, xs);
                x.setRequiresGradient(true);
                float[] out;
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    NDArray y = AlignedConvolution.forward(conv, store, x, true);
                    assertEquals(new Shape(batch, filters, size, size), y.getShape());
                    out = y.toFloatArray();
                    c.backward(y.mul(m.create(gd, y.getShape())).sum());
                }
                NDArray weight = conv.getParameters().get("weight").getArray();
                float[] w = weight.toFloatArray();
                float[] dx = new float[xd.length];
                float[] dw = new float[w.length];
                float[] expected = new float[out.length];
                for (int b = 0; b < batch; b++) {
                    for (int o = 0; o < filters; o++) {
                        for (int i = 0; i < in; i++) {
                            for (int ky = 0; ky < 3; ky++) {
                                for (int kx = 0; kx < 3; kx++) {
                                    for (int y = 0; y < size; y++) {
                                        for (int xx = 0; xx < size; xx++) {
                                            int sy = y + ky - 1, sx = xx + kx - 1;
                                            if (sy < 0 || sx < 0 || sy >= size || sx >= size) {
                                                continue;
                                            }
                                            int yi = ((b * filters + o) * size + y) * size + xx;
                                            float g = gd[yi];
                                            int xi = ((b * in + i) * size + sy) * size + sx;
                                            int wi = ((o * in + i) * 3 + ky) * 3 + kx;
                                            dx[xi] += g * w[wi];
                                            dw[wi] += g * xd[xi];
                                            expected[yi] += xd[xi] * w[wi];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                float[] bias = conv.getParameters().get("bias").getArray().toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    expected[i] += bias[i / (size * size) % filters];
                }
                String what = in + " -> " + filters + " channels, ";
                assertClose(expected, out, what + "output");
                assertClose(dx, x.getGradient().toFloatArray(), what + "input gradient");
                assertClose(dw, weight.getGradient().toFloatArray(), what + "weight gradient");
            }
        }
    }

    /**
     * The loss of a batch is the sum of its samples' losses, so its gradient is the sum of theirs. A batch of one
     * small image takes libtorch's own convolution, not oneDNN's: the two paths check each other, for every parameter.
     */
    @Test
    void aBatchGradientIsTheSumOfItsSamplesGradients() {
        for (int[] channels : new int[][] {TinyModels.CHANNELS, {32, 64, 128}}) {
            int batch = 2, size = 16;
            try (NDManager m = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(11);
                ConditionalUNet net = new ConditionalUNet(channels);
                net.initialize(m, DataType.FLOAT32, ConditionalUNet.inputShapes(batch, size));
                ParameterStore store = new ParameterStore(m, false);
                Random r = new Random(channels[0]);
                float[] x = gaussian(r, (long) batch * 2 * size * size);
                float[] e = gaussian(r, (long) batch * ConditionalUNet.EMBEDDING);
                float[] weights = gaussian(r, (long) batch * size * size);
                int xn = 2 * size * size, en = ConditionalUNet.EMBEDDING, wn = size * size;
                for (int b = 0; b < batch; b++) {
                    backward(m, net, store, slice(x, b, xn), slice(e, b, en), slice(weights, b, wn), 1, size);
                }
                List<float[]> sum = gradients(net, true);
                backward(m, net, store, x, e, weights, batch, size);
                List<float[]> batched = gradients(net, false);
                List<String> names = net.getParameters().keys();
                for (int i = 0; i < names.size(); i++) {
                    assertClose(sum.get(i), batched.get(i), java.util.Arrays.toString(channels) + " " + names.get(i));
                }
            }
        }
    }

    private static void backward(NDManager root, ConditionalUNet net, ParameterStore store, float[] x, float[] e,
                                 float[] weights, int batch, int size) {
        try (NDManager m = root.newSubManager(); GradientCollector c = Engine.getInstance().newGradientCollector()) {
            NDList in = new NDList(m.create(x, new Shape(batch, 2, size, size)), m.create(e, new Shape(batch, ConditionalUNet.EMBEDDING)));
            NDArray out = net.forward(store, in, true).head();
            c.backward(out.mul(m.create(weights, out.getShape())).sum());
        }
    }

    /** Copies every parameter's gradient; with {@code clear}, zeroes it afterwards (gradients accumulate). */
    private static List<float[]> gradients(ConditionalUNet net, boolean clear) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            NDArray g = p.getValue().getArray().getGradient();
            out.add(g.toFloatArray());
            if (clear) {
                g.subi(g);
            }
        }
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0, worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Float.isFinite(actual[i]) ? Math.max(worst, Math.abs(actual[i] - expected[i])) : Double.POSITIVE_INFINITY;
        }
        assertTrue(worst <= 1e-4 * (scale + 1), what + ": off by " + worst + " on a scale of " + scale);
    }

    private static float[] slice(float[] a, int row, int n) {
        return java.util.Arrays.copyOfRange(a, row * n, (row + 1) * n);
    }

    private static float[] gaussian(Random r, long n) {
        float[] f = new float[Math.toIntExact(n)];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return f;
    }
}
