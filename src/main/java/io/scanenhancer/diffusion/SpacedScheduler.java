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
        timesteps = Scheduler.trailingTimesteps(schedule.trainTimesteps(), inferenceSteps);
    }

    @Override
    public int[] timesteps() {
        return timesteps.clone();
    }
}
