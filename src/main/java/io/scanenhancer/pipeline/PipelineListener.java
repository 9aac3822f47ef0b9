package io.scanenhancer.pipeline;

import io.scanenhancer.messaging.RequestListener;

/**
 * What the pipeline reports as it works, for metrics: the request consumer's callbacks plus the enhancer's. Plain
 * callbacks, so the pipeline runs without CDI (demo, tests) and the service decides how to count.
 */
public interface PipelineListener extends RequestListener {
    PipelineListener NONE = new PipelineListener() {
    };

    /** Once, when the pipeline opens: the configured model could not be opened and bicubic stands in. */
    default void modelFellBack(boolean fellBack) {
    }

    /** Frames the model's out-of-distribution guard handed to bicubic. */
    default void fallbackFrames(int frames) {
    }
}
