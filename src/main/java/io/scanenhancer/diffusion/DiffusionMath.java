package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;

/**
 * The closed forms every objective and sampler here shares, each written once. With a = sqrt(abar_t) and
 * s = sqrt(1 - abar_t), a^2 + s^2 = 1, so (x_t, v) is a rotation of (x_0, eps) by the angle phi_t with cos = a.
 *
 * <p>The coefficients are arrays, never Java numbers: under autograd DJL may free a number's wrapper before
 * backward reads it (STACK.md), and the samplers use the very same lines.
 */
public final class DiffusionMath {

    /** a = sqrt(abar_t) and s = sqrt(1 - abar_t), one per batch row, shaped (B, 1, 1, 1) to broadcast. */
    public record Level(NDArray signal, NDArray noise) {

        public static Level at(NDManager m, NoiseSchedule schedule, int[] t) {
            float[] a = new float[t.length], s = new float[t.length];
            for (int i = 0; i < t.length; i++) {
                a[i] = (float) Math.sqrt(schedule.alphaBar(t[i]));
                s[i] = (float) Math.sqrt(1 - schedule.alphaBar(t[i]));
            }
            Shape shape = new Shape(t.length, 1, 1, 1);
            return new Level(m.create(a, shape), m.create(s, shape));
        }

        /** The same level for every row (a sampler's step), as scalar arrays. */
        public static Level at(NDManager m, NoiseSchedule schedule, int t) {
            return new Level(m.create((float) Math.sqrt(schedule.alphaBar(t))), m.create((float) Math.sqrt(1 - schedule.alphaBar(t))));
        }
    }

    private DiffusionMath() {
    }

    /** x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps, a draw from q(x_t | x_0) (Ho et al. 2020, eq. 4). */
    public static NDArray diffuse(NDArray x0, NDArray eps, Level l) {
        return x0.mul(l.signal()).add(eps.mul(l.noise()));
    }

    /** v = sqrt(abar_t) eps - sqrt(1 - abar_t) x_0, the v-prediction target (Salimans and Ho 2022, section 4). */
    public static NDArray velocity(NDArray x0, NDArray eps, Level l) {
        return eps.mul(l.signal()).sub(x0.mul(l.noise()));
    }

    /** x_0 = sqrt(abar_t) x_t - sqrt(1 - abar_t) v (Salimans and Ho 2022, section 4: the rotation above undone). */
    public static NDArray x0FromVelocity(NDArray xt, NDArray v, Level l) {
        return xt.mul(l.signal()).sub(v.mul(l.noise()));
    }

    /** eps = (x_t - sqrt(abar_t) x_0) / sqrt(1 - abar_t), Ho et al. 2020 eq. 4 solved for eps. */
    public static NDArray epsFromX0(NDArray xt, NDArray x0, Level l) {
        return xt.sub(x0.mul(l.signal())).div(l.noise());
    }

    /** n standard normal values from one stream. */
    public static float[] gaussian(Random random, long n) {
        float[] out = new float[Math.toIntExact(n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }

    /** perRow standard normal values from each row's own stream, rows concatenated. */
    static float[] gaussianRows(Random[] rows, long perRow) {
        float[] out = new float[Math.toIntExact(perRow * rows.length)];
        for (int r = 0; r < rows.length; r++) {
            for (int i = 0; i < perRow; i++) {
                out[(int) (r * perRow + i)] = (float) rows[r].nextGaussian();
            }
        }
        return out;
    }
}
