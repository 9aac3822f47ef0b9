package io.scanenhancer.enhance;

import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.PriorAdaptation;
import io.scanenhancer.image.FloatImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pairs a series offers for adapting the prior to it: each incoming image (cropped to even size) is a target, and
 * its own degradation by the operator that made it (box average, or k-space truncation with the zero-filled baseline)
 * is the input. No truth is needed, so it works on any series.
 */
public final class SeriesAdaptation {
    private SeriesAdaptation() {
    }

    static List<PriorAdaptation.Pair> pairs(List<FloatImage> series, Degradation d) {
        List<PriorAdaptation.Pair> out = new ArrayList<>(series.size());
        for (FloatImage image : series) {
            FloatImage target = KspaceDegradation.croppedToMultiple(image, 2);
            FloatImage input = d == Degradation.AREA ? BoxDegradation.downscale(target, 2) : KspaceDegradation.degrade(target, 2);
            float[] baseline = d == Degradation.AREA ? null : KspaceDegradation.zeroFill(input, 2).pixels();
            out.add(new PriorAdaptation.Pair(target.height(), target.width(), target.pixels(), input.pixels(), baseline));
        }
        return out;
    }

    static PretrainedModel adapt(PretrainedModel prior, Path priorWeights, List<FloatImage> series, Degradation d,
                                 PriorAdaptation.Settings s, Path work) throws IOException {
        return PriorAdaptation.adapt(prior, priorWeights, pairs(series, d), d, s, work);
    }
}
