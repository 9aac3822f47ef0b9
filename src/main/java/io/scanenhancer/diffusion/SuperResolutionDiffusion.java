package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;
import java.util.function.Function;

/**
 * Conditional diffusion for 2x super-resolution in residual space: its sampler. (The GaussianDiffusion of this
 * project is this class for sampling and {@link SuperResolutionObjective} / {@link RegressionObjective} for training.)
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

    /** x0 = k (HR - up(LR)): the residual the networks learn, scaled to about unit variance. */
    public NDArray residual(NDArray highRes, NDArray cond) {
        return highRes.sub(cond).mul(cond.getManager().create(residualScale));
    }

    /**
     * The regression network's input: the noisy channel is zero and the timestep the last one, so the same U-Net
     * regresses x0 from the condition alone.
     */
    NDList regressionInput(NDArray cond) {
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
        NDArray x = outer.create(DiffusionMath.gaussianRows(rows, shape.size() / b), shape);     // x_T ~ N(0, I)
        if (initialHighRes == null) {
            scheduler.setTimesteps(steps);
        } else {
            scheduler.setTimesteps(steps, strength);
            int start = scheduler.timesteps()[0];
            NDArray x0 = initialHighRes.sub(cond).mul(residualScale);
            // forward-diffuse the estimate to the first timestep, q(x_t0 | x0_init) (CCDF, Chung et al. 2022 eq. 8)
            x = DiffusionMath.diffuse(x0, x, DiffusionMath.Level.at(outer, schedule, start));
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
                NDArray x0 = DiffusionMath.x0FromVelocity(xt, v, DiffusionMath.Level.at(stepScope, schedule, t));
                // data consistency: project the implied image onto {z : boxDown(z) = LR} (a hard projection, cf. ILVR/DDNM)
                NDArray image = ImageOps.projectConsistent(cond.add(x0.div(residualScale)), lowRes);
                x0 = image.sub(cond).mul(residualScale);
                NDArray noise = scheduler.stochastic() ? stepScope.create(DiffusionMath.gaussianRows(rows, shape.size() / b), shape) : null;
                NDArray next = scheduler.step(x0, t, xt, noise);
                next.attach(outer);
                x = next;
            }
        }
        return ImageOps.projectConsistent(cond.add(x.div(residualScale)), lowRes);
    }
}
