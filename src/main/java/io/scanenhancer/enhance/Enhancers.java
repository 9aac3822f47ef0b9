package io.scanenhancer.enhance;

import java.nio.file.Path;

/** Opens an enhancer by name; the one place the CLI and the service choose between the model and the baseline. */
public final class Enhancers {
    /** Name of the default: the shipped diffusion model (falls back to bicubic only where configured). */
    public static final String DIFFUSION = "diffusion";
    public static final String BICUBIC = "bicubic";

    private Enhancers() {
    }

    /** The shipped model, relative to the working directory (the launcher runs from the repository root). */
    public static Path defaultModelDir() {
        return Path.of(System.getProperty("scanenhancer.model-dir", "models/sr3-mri-t1-v7"));
    }

    /**
     * @param fallBackWhenOutOfDistribution give flagged inputs bicubic output instead of the model's
     */
    public static Enhancer openDiffusion(Path modelDir, boolean fallBackWhenOutOfDistribution) {
        return openDiffusion(modelDir, fallBackWhenOutOfDistribution, DiffusionEnhancer.DEFAULT_MAX_BATCH);
    }

    /** @param maxBatch most images per network call */
    public static Enhancer openDiffusion(Path modelDir, boolean fallBackWhenOutOfDistribution, int maxBatch) {
        return openDiffusion(modelDir, fallBackWhenOutOfDistribution, maxBatch, 0);
    }

    /**
     * @param maxBatch    most images per network call
     * @param budgetBytes native memory it may use ({@code enhancer.memory.budget}); 0: {@link MemoryBudget#fromEnvironment}
     */
    public static Enhancer openDiffusion(Path modelDir, boolean fallBackWhenOutOfDistribution, int maxBatch, long budgetBytes) {
        try {
            return new DiffusionEnhancer(modelDir, fallBackWhenOutOfDistribution, maxBatch, budgetBytes > 0
                    ? MemoryBudget.of(budgetBytes) : MemoryBudget.fromEnvironment(MemoryBudget.DEFAULT_SAFETY_FACTOR));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot open the diffusion model: " + e.getMessage(), e);
        }
    }

    /**
     * @param kind     "diffusion" or "bicubic"
     * @param modelDir folder of the diffusion model (config JSON, weights, model card); ignored for bicubic
     */
    public static Enhancer open(String kind, Path modelDir) {
        return open(kind, modelDir, DiffusionEnhancer.DEFAULT_MAX_BATCH);
    }

    /** @param maxBatch most images per network call (diffusion); the service sets it to its largest batch */
    public static Enhancer open(String kind, Path modelDir, int maxBatch) {
        return open(kind, modelDir, maxBatch, 0);
    }

    /** @param budgetBytes native memory the diffusion enhancer may use; 0: derived from the memory limit */
    public static Enhancer open(String kind, Path modelDir, int maxBatch, long budgetBytes) {
        return switch (kind) {
            case BICUBIC -> new BicubicEnhancer(2);
            case DIFFUSION -> openDiffusion(modelDir == null ? defaultModelDir() : modelDir, true, maxBatch, budgetBytes);
            default -> throw new IllegalArgumentException("unknown enhancer '" + kind + "': use diffusion or bicubic");
        };
    }
}
