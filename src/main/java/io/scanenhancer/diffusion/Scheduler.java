package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * A sampler over a fixed {@link NoiseSchedule}, in the shape of diffusers' schedulers: choose the inference
 * timesteps with {@link #setTimesteps}, then call {@link #step} once per timestep.
 *
 * <p>Unlike diffusers, {@code step} takes the model's estimate of x_0 rather than its raw output: the pipeline
 * converts the network output to x_0 and projects it onto the data-consistent set first, and every sampler here
 * is written in terms of x_0.
 */
public interface Scheduler {

    void setTimesteps(int inferenceSteps);

    /** Timesteps over the first {@code strength} of the schedule only: sampling starts from a partly noised estimate. */
    void setTimesteps(int inferenceSteps, double strength);

    /** Timesteps to visit, from the noisiest down. */
    int[] timesteps();

    /**
     * @param predictedX0 the model's (projected) estimate of the clean sample at this step
     * @param t           current timestep (an element of {@link #timesteps()})
     * @param sample      x_t
     * @param noise       standard normal noise of the same shape, used by stochastic samplers; may be null otherwise
     * @return x at the next (less noisy) timestep; at the last step, the clean sample
     */
    NDArray step(NDArray predictedX0, int t, NDArray sample, NDArray noise);

    /** Whether {@link #step} consumes noise. */
    boolean stochastic();

    /** Evenly spaced timesteps that always include T-1 ("trailing" spacing, Lin et al. 2024, Table 2). */
    static int[] trailingTimesteps(int trainTimesteps, int inferenceSteps) {
        if (inferenceSteps < 1 || inferenceSteps > trainTimesteps) {
            throw new IllegalArgumentException("steps must be in 1.." + trainTimesteps + ", got " + inferenceSteps);
        }
        int[] ts = new int[inferenceSteps];
        double stride = (double) trainTimesteps / inferenceSteps;
        for (int i = 0; i < inferenceSteps; i++) {
            ts[i] = (int) Math.round(trainTimesteps - i * stride) - 1;
        }
        return ts;
    }

    /** The timestep after {@code t} in {@code ts}, or -1 (the clean image) after the last one. */
    static int previous(int[] ts, int t) {
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] == t) {
                return i + 1 < ts.length ? ts[i + 1] : -1;
            }
        }
        throw new IllegalArgumentException("timestep " + t + " is not in the schedule");
    }
}
