package io.scanenhancer.diffusion;

/** What every sampler here shares: the schedule and the trailing choice of inference timesteps. */
abstract class SpacedScheduler implements Scheduler {
    protected final NoiseSchedule schedule;
    protected int[] timesteps;

    SpacedScheduler(NoiseSchedule schedule) {
        this.schedule = schedule;
    }

    @Override
    public void setTimesteps(int inferenceSteps) {
        setTimesteps(inferenceSteps, 1.0);
    }

    @Override
    public void setTimesteps(int inferenceSteps, double strength) {
        int span = Math.max(1, (int) Math.round(strength * schedule.trainTimesteps()));
        timesteps = Scheduler.trailingTimesteps(span, Math.min(inferenceSteps, span));
    }

    @Override
    public int[] timesteps() {
        return timesteps.clone();
    }
}
