package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Weight-space interpolation of two networks of one architecture, parameter by parameter:
 * theta = (1 - alpha) theta_from + alpha theta_to.
 *
 * <p>Between a network and its own fine-tuned continuation the loss is near-linear in alpha, and a point inside the
 * segment can keep most of the fine-tuning's gain while losing less of the start's robustness (WiSE-FT, Wortsman et
 * al., "Robust fine-tuning of zero-shot models", CVPR 2022, eq. 1). Between unrelated networks it means nothing, so
 * callers pair a warm restart with the weights it started from.
 */
public final class WeightInterpolation {
    private WeightInterpolation() {
    }

    /**
     * Writes the interpolated weights of {@code from} and {@code to} (both DJL parameter files of a U-Net with
     * {@code channels} and {@code imageChannels}) to {@code out}.
     */
    public static void interpolate(int[] channels, int imageChannels, Path from, Path to, double alpha, Path out) throws IOException {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in 0..1, got " + alpha);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ConditionalUNet target = PretrainedModel.loadNetwork(manager, channels, imageChannels, from);
            ConditionalUNet other = PretrainedModel.loadNetwork(manager, channels, imageChannels, to);
            Iterator<Parameter> others = other.getParameters().values().iterator();
            for (Parameter p : target.getParameters().values()) {
                NDArray theta = p.getArray();
                NDArray thetaTo = others.next().getArray();
                // (1 - alpha) theta_from + alpha theta_to, written as theta_from + alpha (theta_to - theta_from) so
                // that alpha 0 and 1 give the two files' values exactly
                if (alpha == 1) {
                    theta.set(thetaTo.toByteBuffer());
                } else if (alpha > 0) {
                    theta.addi(thetaTo.sub(theta).muli((float) alpha));
                }
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            try (OutputStream stream = Files.newOutputStream(out); DataOutputStream data = new DataOutputStream(stream)) {
                target.saveParameters(data);
            }
        }
    }
}
