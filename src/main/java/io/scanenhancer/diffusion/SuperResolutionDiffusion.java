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
 * <p>All arrays here are (B, 1, H, W) in normalised intensity (see {@link IntensityNormalisation}). The
 * {@link Formulation} may replace the residual by the image itself (x0 = HR) and add a constant input channel naming
 * the degradation. The input's degradation decides the baseline (bicubic or zero-filling: "up(LR)" above) and the
 * data-consistency projection; both come with the {@link ConditionedInput}.
 */
public final class SuperResolutionDiffusion {
    private final NoiseSchedule schedule;
    private final float residualScale;
    private final Formulation formulation;

    public SuperResolutionDiffusion(NoiseSchedule schedule, float residualScale) {
        this(schedule, residualScale, Formulation.V2);
    }

    public SuperResolutionDiffusion(NoiseSchedule schedule, float residualScale, Formulation formulation) {
        this.schedule = schedule;
        this.residualScale = residualScale;
        this.formulation = formulation;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    public Formulation formulation() {
        return formulation;
    }

    /** The conditioning image: bicubic upsampling of the low-resolution input. */
    public static NDArray condition(NDArray lowRes) {
        return ImageOps.bicubicUp(lowRes);
    }

    /**
     * x0, what the networks learn: k (HR - baseline) for the residual target (the residual scaled to about unit
     * variance), HR itself for the direct one. {@code baseline}: the classical upsampling of the pair's input.
     */
    public NDArray x0(NDArray highRes, NDArray baseline) {
        return formulation.target() == Formulation.Target.DIRECT ? highRes
                : highRes.sub(baseline).mul(baseline.getManager().create(residualScale));
    }

    /** The image an x0 stands for: the inverse of {@link #x0}. */
    NDArray highRes(NDArray x0, NDArray baseline) {
        return formulation.target() == Formulation.Target.DIRECT ? x0 : baseline.add(x0.div(residualScale));
    }

    /**
     * The network's image input: x_t and the baseline, and with degradation conditioning a constant channel of the
     * batch's degradation code (training passes one code per row: {@code codes} (B, 1, 1, 1), or null for AREA).
     */
    NDArray networkImage(NDArray xt, NDArray baseline, NDArray codes) {
        NDArray image = xt.concat(baseline, 1);
        if (formulation.degradationConditioning() == Formulation.DegradationConditioning.NONE) {
            return image;
        }
        NDManager m = baseline.getManager();
        NDArray channel = codes == null ? m.zeros(baseline.getShape()) : codes.broadcast(baseline.getShape());
        return image.concat(channel, 1);
    }

    /** One code for the whole batch, as {@link #networkImage} takes it; null for AREA (a channel of zeros). */
    private static NDArray codes(ConditionedInput in) {
        if (in.degradation() == Degradation.AREA) {
            return null;
        }
        long b = in.lowRes().getShape().get(0);
        return in.lowRes().getManager().full(new Shape(b, 1, 1, 1), in.degradation().code());
    }

    /**
     * The regression network's input: the noisy channel is zero and the timestep the last one, so the same U-Net
     * regresses x0 from the condition alone.
     */
    NDList regressionInput(NDArray cond, NDArray codes) {
        NDManager m = cond.getManager();
        long b = cond.getShape().get(0);
        int[] t = new int[(int) b];
        java.util.Arrays.fill(t, schedule.trainTimesteps() - 1);
        return new NDList(networkImage(m.zeros(cond.getShape()), cond, codes),
                m.create(ConditionalUNet.timestepEmbedding(t), new Shape(b, ConditionalUNet.EMBEDDING)));
    }

    /** One forward pass of the regression network on AREA inputs, projected onto box consistency. */
    public NDArray regress(Function<NDList, NDArray> network, NDArray lowRes) {
        return regress(network, ConditionedInput.area(lowRes));
    }

    /** One forward pass of the regression network, projected onto the inputs' data-consistent set. */
    public NDArray regress(Function<NDList, NDArray> network, ConditionedInput in) {
        NDArray cond = in.baseline();
        NDArray x0 = network.apply(regressionInput(cond, codes(in)));
        return in.project(highRes(x0, cond));
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
        return sample(network, scheduler, steps, ConditionedInput.area(lowRes), rowSeeds, initialHighRes, strength);
    }

    /**
     * The denoising loop for inputs of any degradation: the condition and the data-consistency projection come with
     * {@code in}.
     */
    public NDArray sample(Function<NDList, NDArray> network, Scheduler scheduler, int steps, ConditionedInput in, long[] rowSeeds,
                          NDArray initialHighRes, double strength) {
        NDArray lowRes = in.lowRes();
        NDManager outer = lowRes.getManager();
        NDArray cond = in.baseline();
        NDArray codes = codes(in);
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
            NDArray x0 = x0(initialHighRes, cond);
            // forward-diffuse the estimate to the first timestep, q(x_t0 | x0_init) (CCDF, Chung et al. 2022 eq. 8)
            x = DiffusionMath.diffuse(x0, x, DiffusionMath.Level.at(outer, schedule, start));
        }
        int[] timesteps = scheduler.timesteps();
        for (int i = 0; i < timesteps.length; i++) {
            int t = timesteps[i];
            try (NDManager stepScope = outer.newSubManager()) {
                NDArray xt = x;
                // results land in their first operand's manager: with x_t and the condition in this scope, every
                // intermediate of the step (and the previous x_t) is freed when the step ends, not when the call does
                xt.attach(stepScope);
                cond.tempAttach(stepScope);
                lowRes.tempAttach(stepScope);
                if (codes != null) {
                    codes.tempAttach(stepScope);
                }
                NDArray input = networkImage(xt, cond, codes);
                int[] ts = new int[(int) b];
                java.util.Arrays.fill(ts, t);
                NDArray embedding = stepScope.create(ConditionalUNet.timestepEmbedding(ts), new Shape(b, ConditionalUNet.EMBEDDING));
                NDArray v = network.apply(new NDList(input, embedding));
                NDArray x0 = DiffusionMath.x0FromVelocity(xt, v, DiffusionMath.Level.at(stepScope, schedule, t));
                if (i == timesteps.length - 1) {
                    // every scheduler's last step returns its x0 unchanged (abar_{-1} = 1: DDIM eq. 12 and DDPM eq. 7
                    // reduce to x0), and the result is that sample projected once more: both projections in one pass
                    NDArray result = in.projectTwice(highRes(x0, cond));
                    result.attach(outer);
                    return result;
                }
                // data consistency: project the implied image onto {z : D(z) = LR} (a hard projection, cf. ILVR/DDNM)
                NDArray image = in.project(highRes(x0, cond));
                x0 = x0(image, cond);
                NDArray noise = scheduler.stochastic() ? stepScope.create(DiffusionMath.gaussianRows(rows, shape.size() / b), shape) : null;
                NDArray next = scheduler.step(x0, t, xt, noise);
                next.attach(outer);
                x = next;
            }
        }
        throw new IllegalStateException("the scheduler set no timesteps"); // setTimesteps always sets at least one
    }
}
