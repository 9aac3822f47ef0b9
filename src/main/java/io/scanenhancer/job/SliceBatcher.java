package io.scanenhancer.job;

import io.scanenhancer.dicom.SourceImage;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.image.FloatImage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Collects frames from any instance of any series into batches of a fixed size, so that the model sees full
 * batches whether a study holds one 300-frame instance or 300 single-frame ones. An instance is handed on as soon as
 * its last frame is enhanced; what is held at any time is one batch plus the instances it has started.
 */
final class SliceBatcher {
    /** An instance whose frames are (partly) enhanced. {@code owner} is the caller's per-series state. */
    static final class Pending<T> {
        final T owner;
        final SourceImage source;
        final EnhancedImage[] frames;
        private int remaining;

        Pending(T owner, SourceImage source) {
            this.owner = owner;
            this.source = source;
            this.frames = new EnhancedImage[source.frameCount()];
            this.remaining = frames.length;
        }

        List<EnhancedImage> frames() {
            return Arrays.asList(frames);
        }
    }

    private record Slot<T>(Pending<T> instance, int frame, FloatImage image) {
    }

    private record Completion<T>(Pending<T> instance, Consumer<Pending<T>> done) {
        void handOn() {
            done.accept(instance);
        }
    }

    private final Enhancer enhancer;
    private final EnhanceSettings settings;
    private final int batchSize;
    private final Progress progress;
    private final List<Slot<?>> batch = new ArrayList<>();
    // in queue order, so that derived objects are written (and later stored) in source order
    private final List<Completion<?>> completions = new ArrayList<>();
    private long modelNanos;

    /** Told before every enhancer call and, with its number of frames, after it. */
    interface Progress {
        void enhancing();

        void enhanced(int frames);
    }

    SliceBatcher(Enhancer enhancer, EnhanceSettings settings, int batchSize, Progress progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        this.enhancer = enhancer;
        this.settings = settings;
        this.batchSize = batchSize;
        this.progress = progress;
    }

    /** Queues every frame of {@code source}; {@code done} receives the instance once all its frames are enhanced. */
    <T> void add(T owner, SourceImage source, Consumer<Pending<T>> done) {
        Pending<T> p = new Pending<>(owner, source);
        for (int f = 0; f < source.frameCount(); f++) {
            batch.add(new Slot<>(p, f, source.frame(f)));
            if (batch.size() == batchSize) {
                flush();
            }
        }
        completions.add(new Completion<>(p, done));
        handOnFinished();
    }

    /** Enhances what is queued, however few frames. */
    void flush() {
        if (batch.isEmpty()) {
            return;
        }
        List<FloatImage> inputs = batch.stream().<FloatImage>map(Slot::image).toList();
        progress.enhancing();
        long t = System.nanoTime();
        List<EnhancedImage> out = enhancer.enhanceAll(inputs, settings);
        modelNanos += System.nanoTime() - t;
        for (int i = 0; i < batch.size(); i++) {
            Slot<?> s = batch.get(i);
            s.instance().frames[s.frame()] = out.get(i);
            s.instance().remaining--;
        }
        int n = batch.size();
        batch.clear();
        progress.enhanced(n);
        handOnFinished();
    }

    /** Flushes the last partial batch and hands on every remaining instance. */
    void finish() {
        flush();
        handOnFinished();
    }

    private void handOnFinished() {
        while (!completions.isEmpty() && completions.get(0).instance().remaining == 0) {
            completions.remove(0).handOn();
        }
    }

    /** Time spent inside the enhancer alone. */
    long modelNanos() {
        return modelNanos;
    }
}
