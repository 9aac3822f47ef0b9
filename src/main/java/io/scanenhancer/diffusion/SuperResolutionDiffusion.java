package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;
import java.util.function.Function;

/**
 * Conditional diffusion for 2x super-resolution in residual space (the GaussianDiffusion of this project).
 *
 * <p>The diffused variable is x0 = k (HR - up(LR)), the high-resolution image minus its bicubic upsampling, scaled
 * by {@code residualScale} k to about unit variance: the network only has to add the detail that interpolation
 * lacks (as in SR3's conditioning, Saharia et al. 2021, with the residual target of ResShift, Yue et al. 2023).
 * The network predicts v = sqrt(abar) eps - sqrt(1 - abar) x0 (Salimans and Ho 2022, section 4), which stays
 * well-conditioned at every noise level and so allows sampling in very few steps.
 *
 * <p>All arrays here are (B, 1, H, W) in normalised intensity (see {@link IntensityNormalisation}).
 */
public final class SuperResolutionDiffusion {
    private final NoiseSchedule schedule;
    private final float residualScale;

    public SuperResolutionDiffusion(NoiseSchedule schedule, float residualScale) {
        this.schedule = schedule;
        this.residualScale = residualScale;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /** The conditioning image: bicubic upsampling of the low-resolution input. */
    public static NDArray condition(NDArray lowRes) {
        return ImageOps.bicubicUp(lowRes);
    }

    /**
     * The training objective: || v_theta(x_t, cond, t) - v ||^2 with t uniform and x_t from the forward process
     * (Ho et al. 2020, Algorithm 1, with the v target of Salimans and Ho 2022). Every scalar is an array because
     * DJL loses Java-number operands before backward (STACK.md).
     */
    public NDArray trainingLoss(Function<NDList, NDArray> network, NDArray highRes, NDArray lowRes, Random random) {
        NDManager m = highRes.getManager();
        long b = highRes.getShape().get(0);
        NDArray cond = condition(lowRes);
        NDArray x0 = highRes.sub(cond).mul(m.create(residualScale));
        int[] t = new int[(int) b];
        float[] sa = new float[(int) b], sb = new float[(int) b];
        for (int i = 0; i < b; i++) {
            t[i] = sampleTimestep(random);
            sa[i] = (float) Math.sqrt(schedule.alphaBar(t[i]));
            sb[i] = (float) Math.sqrt(1 - schedule.alphaBar(t[i]));
        }
        NDArray a = m.create(sa, new Shape(b, 1, 1, 1));
        NDArray s = m.create(sb, new Shape(b, 1, 1, 1));
        NDArray eps = m.create(gaussian(random, x0.getShape().size()), x0.getShape());
        NDArray xt = x0.mul(a).add(eps.mul(s));                  // Ho et al. 2020, eq. 4
        NDArray v = eps.mul(a).sub(x0.mul(s));                    // Salimans and Ho 2022, v target
        NDArray embedding = m.create(ConditionalUNet.timestepEmbedding(t), new Shape(b, ConditionalUNet.EMBEDDING));
        NDArray predicted = network.apply(new NDList(xt.concat(cond, 1), embedding));
        return predicted.sub(v).square().mean();
    }

    /**
     * Half the draws are uniform over all timesteps (every sampler stays valid), half uniform over the first 30%:
     * the low-noise levels that sampling from the regression prior visits get twice the training signal.
     */
    private int sampleTimestep(Random random) {
        int total = schedule.trainTimesteps();
        return random.nextBoolean() ? random.nextInt(total) : random.nextInt(Math.max(1, (int) (LOW_NOISE_FRACTION * total)));
    }

    static final double LOW_NOISE_FRACTION = 0.3;

    /**
     * The non-diffusion baseline with the same network: the noisy input is zero and the timestep fixed, and the
     * network regresses x0 directly under an L2 loss, i.e. it learns E[x0 | LR].
     */
    public NDArray regressionLoss(Function<NDList, NDArray> network, NDArray highRes, NDArray lowRes) {
        NDManager m = highRes.getManager();
        NDArray cond = condition(lowRes);
        NDArray x0 = highRes.sub(cond).mul(m.create(residualScale));
        NDArray predicted = network.apply(regressionInput(cond));
        return predicted.sub(x0).square().mean();
    }

    private NDList regressionInput(NDArray cond) {
        NDManager m = cond.getManager();
        long b = cond.getShape().get(0);
        int[] t = new int[(int) b];
        java.util.Arrays.fill(t, schedule.trainTimesteps() - 1);
        return new NDList(m.zeros(cond.getShape()).concat(cond, 1),
                m.create(ConditionalUNet.timestepEmbedding(t), new Shape(b, ConditionalUNet.EMBEDDING)));
    }

    /** One forward pass of the regression network, projected onto the data-consistent set. */
    public NDArray regress(Function<NDList, NDArray> network, NDArray lowRes) {
        NDArray cond = condition(lowRes);
        NDArray x0 = network.apply(regressionInput(cond));
        NDArray highRes = cond.add(x0.div(residualScale));
        return ImageOps.projectConsistent(highRes, lowRes);
    }

    /**
     * Draws one high-resolution sample per low-resolution image. The loop, step by step:
     * predict v, turn it into x0, project x0 so that its box average reproduces the input (data consistency),
     * and let the scheduler move x_t to the next timestep.
     *
     * @param lowRes (B, 1, h, w); h and w multiples of {@code ConditionalUNet.sizeMultiple() / 2}
     * @param seed   seeds the initial noise and any noise the scheduler draws, so a request can be replayed exactly
     */
    public NDArray sample(Function<NDList, NDArray> network, Scheduler scheduler, int steps, NDArray lowRes, long seed) {
        return sample(network, scheduler, steps, lowRes, seed, null, 1.0);
    }

    /**
     * @param initialHighRes an estimate to start from (the regression prior's output), or null to start from noise
     * @param strength       with an initial estimate: the fraction of the schedule to run (see {@link SamplerSettings})
     */
    public NDArray sample(Function<NDList, NDArray> network, Scheduler scheduler, int steps, NDArray lowRes, long seed,
                          NDArray initialHighRes, double strength) {
        long[] seeds = new long[Math.toIntExact(lowRes.getShape().get(0))];
        java.util.Arrays.fill(seeds, seed);
        return sample(network, scheduler, steps, lowRes, seeds, initialHighRes, strength);
    }

    /**
     * @param rowSeeds one seed per batch row: each row's noise comes from its own stream, so an image's result does
     *                 not depend on which other images share its batch or where it sits in it
     */
    public NDArray sample(Function<NDList, NDArray> network, Scheduler scheduler, int steps, NDArray lowRes, long[] rowSeeds,
                          NDArray initialHighRes, double strength) {
        NDManager outer = lowRes.getManager();
        NDArray cond = condition(lowRes);
        Shape shape = cond.getShape();
        long b = shape.get(0);
        if (rowSeeds.length != b) {
            throw new IllegalArgumentException(rowSeeds.length + " seeds for a batch of " + b);
        }
        Random[] rows = new Random[(int) b];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new Random(rowSeeds[i]);
        }
        NDArray x = outer.create(gaussianRows(rows, shape.size() / b), shape);     // x_T ~ N(0, I)
        if (initialHighRes == null) {
            scheduler.setTimesteps(steps);
        } else {
            scheduler.setTimesteps(steps, strength);
            int start = scheduler.timesteps()[0];
            double ab = schedule.alphaBar(start);
            NDArray x0 = initialHighRes.sub(cond).mul(residualScale);
            // forward-diffuse the estimate to the first timestep, q(x_t0 | x0_init) (Ho et al. eq. 4; CCDF, Chung et al. 2022 eq. 8)
            x = x0.mul(Math.sqrt(ab)).add(x.mul(Math.sqrt(1 - ab)));
        }
        for (int t : scheduler.timesteps()) {
            try (NDManager stepScope = outer.newSubManager()) {
                NDArray xt = x;
                // results land in their first operand's manager: with x_t and the condition in this scope, every
                // intermediate of the step (and the previous x_t) is freed when the step ends, not when the call does
                xt.attach(stepScope);
                cond.tempAttach(stepScope);
                lowRes.tempAttach(stepScope);
                NDArray input = xt.concat(cond, 1);
                int[] ts = new int[(int) b];
                java.util.Arrays.fill(ts, t);
                NDArray embedding = stepScope.create(ConditionalUNet.timestepEmbedding(ts), new Shape(b, ConditionalUNet.EMBEDDING));
                NDArray v = network.apply(new NDList(input, embedding));
                double ab = schedule.alphaBar(t);
                // x0 = sqrt(abar_t) x_t - sqrt(1 - abar_t) v   (Salimans and Ho 2022, eq. 11 rearranged)
                NDArray x0 = xt.mul(Math.sqrt(ab)).sub(v.mul(Math.sqrt(1 - ab)));
                // data consistency: project the implied image onto {z : boxDown(z) = LR} (a hard projection, cf. ILVR/DDNM)
                NDArray image = ImageOps.projectConsistent(cond.add(x0.div(residualScale)), lowRes);
                x0 = image.sub(cond).mul(residualScale);
                NDArray noise = scheduler.stochastic() ? stepScope.create(gaussianRows(rows, shape.size() / b), shape) : null;
                NDArray next = scheduler.step(x0, t, xt, noise);
                next.attach(outer);
                x = next;
            }
        }
        return ImageOps.projectConsistent(cond.add(x.div(residualScale)), lowRes);
    }

    /** perRow standard normal values from each row's stream, rows concatenated. */
    static float[] gaussianRows(Random[] rows, long perRow) {
        float[] out = new float[Math.toIntExact(perRow * rows.length)];
        for (int r = 0; r < rows.length; r++) {
            for (int i = 0; i < perRow; i++) {
                out[(int) (r * perRow + i)] = (float) rows[r].nextGaussian();
            }
        }
        return out;
    }

    static float[] gaussian(Random random, long n) {
        float[] out = new float[Math.toIntExact(n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }
}
