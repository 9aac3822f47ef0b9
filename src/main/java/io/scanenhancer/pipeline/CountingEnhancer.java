package io.scanenhancer.pipeline;

import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.image.FloatImage;

import java.util.List;
import java.util.function.IntConsumer;

/** Counts the frames the model's guard handed to bicubic, without the job knowing about metrics. */
final class CountingEnhancer implements Enhancer {
    private final Enhancer delegate;
    private final IntConsumer fellBack;

    CountingEnhancer(Enhancer delegate, IntConsumer fellBack) {
        this.delegate = delegate;
        this.fellBack = fellBack;
    }

    @Override
    public String modelId() {
        return delegate.modelId();
    }

    @Override
    public String modelVersion() {
        return delegate.modelVersion();
    }

    @Override
    public int scale() {
        return delegate.scale();
    }

    @Override
    public String settingsLabel(EnhanceSettings settings) {
        return delegate.settingsLabel(settings);
    }

    @Override
    public boolean runsModelFor(Degradation d) {
        return delegate.runsModelFor(d);
    }

    @Override
    public double spreadFactor(Degradation d) {
        return delegate.spreadFactor(d);
    }

    @Override
    public io.scanenhancer.image.SpreadMethod spreadMethod(Degradation d) {
        return delegate.spreadMethod(d);
    }

    @Override
    public EnhancedImage enhance(FloatImage lowResolution, EnhanceSettings settings) {
        return counted(List.of(delegate.enhance(lowResolution, settings))).get(0);
    }

    @Override
    public List<EnhancedImage> enhanceAll(List<FloatImage> images, EnhanceSettings settings) {
        return counted(delegate.enhanceAll(images, settings)); // keeps the delegate's batching
    }

    private List<EnhancedImage> counted(List<EnhancedImage> out) {
        int n = (int) out.stream().filter(EnhancedImage::fellBack).count();
        if (n > 0) {
            fellBack.accept(n);
        }
        return out;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
