package io.scanenhancer.enhance;

import java.nio.file.Path;

/** Opens an enhancer by name; the one place the CLI and the service choose between the model and the baseline. */
public final class Enhancers {
    /** Name of the default: the shipped diffusion model (falls back to bicubic only where configured). */
    public static final String DIFFUSION = "diffusion";
    public static final String BICUBIC = "bicubic";

    private Enhancers() {
    }

    /**
     * @param kind     "diffusion" or "bicubic"
     * @param modelDir folder of the diffusion model (config JSON, weights, model card); ignored for bicubic
     */
    public static Enhancer open(String kind, Path modelDir) {
        return switch (kind) {
            case BICUBIC -> new BicubicEnhancer(2);
            case DIFFUSION -> throw new IllegalStateException("the diffusion enhancer is not wired yet (issue 3)");
            default -> throw new IllegalArgumentException("unknown enhancer '" + kind + "': use diffusion or bicubic");
        };
    }
}
