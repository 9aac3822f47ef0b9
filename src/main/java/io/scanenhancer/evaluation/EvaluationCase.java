package io.scanenhancer.evaluation;

import io.scanenhancer.image.FloatImage;

/**
 * One evaluation image: the truth, its 2x2 box average as the input, and the masks and data range the metrics use.
 *
 * @param headMask  foreground (head or body) pixels, or null
 * @param brainMask brain pixels (held-out slab only), or null
 */
public record EvaluationCase(String name, FloatImage truth, FloatImage input, boolean[] headMask, boolean[] brainMask,
                             double dataRange) {
}
