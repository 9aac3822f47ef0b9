package io.scanenhancer.diffusion;

/**
 * Learning rate as a function of the training step: constant, or a half-cosine from the base rate down to a floor
 * (Loshchilov and Hutter 2017, SGDR, eq. 5 without restarts). It is keyed to the trainer's own step counter rather
 * than to the optimiser's update count, because the optimiser's count starts again at a resume.
 */
public record LearningRateSchedule(float base, float floorFraction, long decaySteps) {

    public static LearningRateSchedule constant(float base) {
        return new LearningRateSchedule(base, 1f, 0);
    }

    public static LearningRateSchedule cosine(float base, float floorFraction, long decaySteps) {
        if (decaySteps <= 0 || floorFraction < 0 || floorFraction > 1) {
            throw new IllegalArgumentException("cosine decay needs decaySteps > 0 and a floor in [0, 1]");
        }
        return new LearningRateSchedule(base, floorFraction, decaySteps);
    }

    public float at(long step) {
        if (decaySteps <= 0) {
            return base;
        }
        double progress = Math.min(1.0, Math.max(0, step) / (double) decaySteps);
        double floor = base * floorFraction;
        // eta_t = eta_min + (eta_max - eta_min) * (1 + cos(pi * t / T)) / 2
        return (float) (floor + (base - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    public String describe() {
        return decaySteps <= 0 ? "constant " + base
                : String.format("cosine from %s to %s over %d steps", base, base * floorFraction, decaySteps);
    }
}
