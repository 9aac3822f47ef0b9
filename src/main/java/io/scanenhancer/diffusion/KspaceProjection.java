package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * k-space data consistency in torch, batched: the projection of real images x onto the real images whose acquired
 * k-space window equals the input's is {@code x - lowPass(x) + z}, where lowPass keeps the window's frequencies and z
 * is the zero-filled input's real part (the one consistent image with nothing outside the window). It is
 * {@code KspaceDegradation.project} (Java) written as a filter, so that the per-step work is one real FFT pair of the
 * batch (pocketfft, all cores) instead of three FFTs per image in Java; z is made once per image, with the baseline
 * ({@link #zeroFill}).
 *
 * <p>The window: the frequencies |k| < m / 2 of an m-pixel low-resolution axis (an even m's unpaired Nyquist line
 * is not kept: degrading never produces it), as {@code KspaceDegradation.project} keeps them.
 */
final class KspaceProjection {
    private KspaceProjection() {
    }

    /**
     * @param highRes    (B, 1, H, W) estimates; the projection acts on the top-left 2 height x 2 width of each row,
     *                   the rest (the padding) keeps its values
     * @param consistent (B, 1, 2 height, 2 width): each row's zero-filled input, real part, in the same units
     * @param keep       per row, the share of the estimate's own window kept (0: the hard projection; 1: none), or null for 0
     */
    static NDArray project(NDArray highRes, NDArray consistent, int height, int width, float[] keep) {
        Shape s = highRes.getShape();
        int rows = Math.toIntExact(s.get(0)), oh = 2 * height, ow = 2 * width;
        boolean whole = s.get(2) == oh && s.get(3) == ow;
        NDArray region = whole ? highRes : highRes.get(new NDIndex(":, :, :{}, :{}", oh, ow));
        NDArray correction = consistent.sub(lowPass(region, height, width));
        if (keep != null && !allZero(keep)) {
            float[] take = new float[rows];
            for (int r = 0; r < rows; r++) {
                take[r] = 1 - keep[r];
            }
            correction = correction.mul(highRes.getManager().create(take, new Shape(rows, 1, 1, 1)));
        }
        NDArray projected = region.add(correction);
        if (whole) {
            return projected;
        }
        NDArray out = highRes.duplicate();
        out.set(new NDIndex(":, :, :{}, :{}", oh, ow), projected);
        return out;
    }

    /**
     * {@code project(project(x))} in one pass: a projection that keeps the share k of the estimate's window leaves
     * k (z - Ly) of the mismatch (L: {@link #lowPass}), so a second one leaves k^2 of it; two passes are one with keep k^2.
     */
    static NDArray projectTwice(NDArray highRes, NDArray consistent, int height, int width, float[] keep) {
        if (keep == null) {
            return project(highRes, consistent, height, width, null);
        }
        float[] squared = new float[keep.length];
        for (int r = 0; r < keep.length; r++) {
            squared[r] = keep[r] * keep[r];
        }
        return project(highRes, consistent, height, width, squared);
    }

    private static boolean allZero(float[] values) {
        for (float v : values) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    /** The part of each row inside the window of a height x width grid (the image is 2 height x 2 width). */
    static NDArray lowPass(NDArray image, int height, int width) {
        return filtered(image, window(height, width), height, width);
    }

    /**
     * Zero-filled (sinc) interpolation by 2 of each (B, 1, height, width) row: the real image whose k-space is the
     * input's kept window and nothing else, as {@code KspaceDegradation.zeroFilled}'s real part (its magnitude is the
     * absolute value). Written with real filters only: the 2x2 block copy u of an image has, at frequency k of each
     * 2N-point axis, 2 cos(pi k / 2N) e^(-i pi k / 2N) times the image's own spectrum, which is the zero-filled
     * spectrum (gain 2, half-pixel phase) times cos(pi k / 2N). So zeroFill = lowPass(u) / (cos cos), inside the window,
     * where the cosines stay above cos(pi / 4).
     */
    static NDArray zeroFill(NDArray lowRes, int height, int width) {
        NDArray blocks = lowRes.repeat(2, 2).repeat(3, 2);
        return filtered(blocks, zeroFillFilter(height, width), height, width);
    }

    /**
     * The image filtered by {@code rows[ky] * cols[kx]} on its half spectrum. Both filters here are separable, so the
     * 2-D filter is made in torch from two short vectors and applied in place: no 2 height x (width + 1) array crosses
     * from Java. Only the columns the filter keeps (the first half) go through the column transforms; irfft pads the
     * rest with zeros itself. The same values as filtering the whole spectrum, in about three quarters of the time.
     */
    private static NDArray filtered(NDArray image, float[][] separable, int height, int width) {
        int oh = 2 * height, ow = 2 * width;
        int cols = keptColumns(separable[1]);
        NDManager m = image.getManager();
        NDArray spectrum = image.rfft(ow, -1).get(new NDIndex(":, :, :, :{}", cols)).fft(oh, -2);
        NDArray filter = m.create(separable[0], new Shape(oh, 1))
                .mul(m.create(java.util.Arrays.copyOf(separable[1], cols), new Shape(1, cols)));
        spectrum.muli(filter);
        return spectrum.ifft(oh, -2).irfft(ow, -1);
    }

    /** One past the last column the filter keeps (the window's columns are 0 .. that - 1). */
    static int keptColumns(float[] cols) {
        int last = cols.length - 1;
        while (last > 0 && cols[last] == 0) {
            last--;
        }
        return last + 1;
    }

    /** {@link #window} divided by the block copy's gain cos(pi ky / 2 height) cos(pi kx / 2 width), per axis. */
    static float[][] zeroFillFilter(int height, int width) {
        float[][] filter = window(height, width);
        divideByBlockGain(filter[0], 2 * height, true);
        divideByBlockGain(filter[1], 2 * width, false);
        return filter;
    }

    private static void divideByBlockGain(float[] axis, int n, boolean signed) {
        for (int a = 0; a < axis.length; a++) {
            int k = signed && a > n / 2 ? a - n : a;
            if (axis[a] != 0) {
                axis[a] = (float) (1 / Math.cos(Math.PI * k / n));
            }
        }
    }

    /**
     * The kept frequencies as {rows, cols}: 1 on the kept signed frequencies of the 2 height rows of the full axis and
     * of the 2 width / 2 + 1 columns of the half spectrum, 0 elsewhere; the window is their product.
     */
    static float[][] window(int height, int width) {
        int oh = 2 * height, ow = 2 * width;
        float[] rows = new float[oh], cols = new float[ow / 2 + 1];
        for (int a = 0; a < oh; a++) {
            rows[a] = kept(a <= oh / 2 ? a : a - oh, height) ? 1 : 0;
        }
        for (int b = 0; b < cols.length; b++) {
            cols[b] = kept(b, width) ? 1 : 0;
        }
        return new float[][] {rows, cols};
    }

    /** Whether signed frequency k lies in the window of an m-point axis: |k| < m / 2 exactly (Nyquist of even m out). */
    private static boolean kept(int k, int m) {
        return 2 * Math.abs(k) < m;
    }
}
