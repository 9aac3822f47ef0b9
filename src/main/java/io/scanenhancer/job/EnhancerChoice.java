package io.scanenhancer.job;

import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.enhance.Enhancers;

import java.nio.file.Path;

/**
 * Opens the configured enhancer; when the diffusion model cannot be opened (not built yet, weights missing) and
 * falling back is allowed, opens bicubic instead and says why in {@link #note()}.
 */
public record EnhancerChoice(Enhancer enhancer, String note) {

    public static EnhancerChoice open(String kind, Path modelDir, boolean fallBackToBicubic) {
        return open(kind, modelDir, fallBackToBicubic, io.scanenhancer.enhance.DiffusionEnhancer.DEFAULT_MAX_BATCH, 0);
    }

    /**
     * @param maxBatch    most images per network call
     * @param budgetBytes native memory the diffusion enhancer may use; 0: derived from the memory limit
     */
    public static EnhancerChoice open(String kind, Path modelDir, boolean fallBackToBicubic, int maxBatch, long budgetBytes) {
        Path dir = modelDir != null ? modelDir : Enhancers.defaultModelDir();
        try {
            return new EnhancerChoice(Enhancers.open(kind, dir, maxBatch, budgetBytes), null);
        } catch (RuntimeException e) {
            if (!fallBackToBicubic || Enhancers.BICUBIC.equals(kind)) {
                throw e;
            }
            return new EnhancerChoice(Enhancers.open(Enhancers.BICUBIC, dir),
                    "enhancer '" + kind + "' could not be opened (" + (e.getMessage() == null ? e.toString() : e.getMessage())
                            + "); using bicubic interpolation");
        }
    }
}
