package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Float images in, 2x float images out: normalise, pad to the network's size multiple, sample (one or several
 * posterior samples), crop, and map back to the input's units. Knows nothing of DICOM.
 */
public final class SuperResolutionPipeline {
    private final PretrainedModel model;
    private final PretrainedModel prior;
    private final KspaceOperator kspace;
    private final SuperResolutionDiffusion diffusion;
    private final boolean hardConsistency;

    public SuperResolutionPipeline(PretrainedModel model) {
        this(model, null, null);
    }

    /** @param prior the regression network whose estimate starts sampling when strength is below 1; may be null */
    public SuperResolutionPipeline(PretrainedModel model, PretrainedModel prior) {
        this(model, prior, null);
    }

    /**
     * @param prior  the regression network whose estimate starts sampling when strength is below 1; may be null
     * @param kspace the noise estimate of {@link Degradation#KSPACE} inputs (zero-filling and the projection run in torch); null: AREA inputs only
     */
    public SuperResolutionPipeline(PretrainedModel model, PretrainedModel prior, KspaceOperator kspace) {
        this(model, prior, kspace, false);
    }

    private SuperResolutionPipeline(PretrainedModel model, PretrainedModel prior, KspaceOperator kspace, boolean hardConsistency) {
        this.model = model;
        this.prior = prior;
        this.kspace = kspace;
        this.hardConsistency = hardConsistency;
        ModelConfig c = model.config();
        this.diffusion = new SuperResolutionDiffusion(NoiseSchedule.cosine(c.trainTimesteps()), c.residualScale(), Formulation.of(c));
    }

    /**
     * The same networks with the hard k-space projection whatever the config's {@code kspaceEstimateError}: for a
     * self-test whose truth is the input itself, noise and all, where a denoised window would count as an error.
     */
    public SuperResolutionPipeline withHardConsistency() {
        return new SuperResolutionPipeline(model, prior, kspace, true);
    }

    public ModelConfig config() {
        return model.config();
    }

    /**
     * @param mean   the sample (one draw) or the posterior mean (several), height*2 x width*2
     * @param spread per-pixel posterior standard deviation, or null for one draw
     */
    public record Result(float[] mean, float[] spread) {
    }

    public Result upscale(float[] lowRes, int height, int width, SamplerSettings settings) {
        return upscaleAll(List.of(lowRes), height, width, settings).get(0);
    }

    /** Enhances images of one size together, every image times every posterior sample in one network call. */
    public List<Result> upscaleAll(List<float[]> images, int height, int width, SamplerSettings settings) {
        return upscaleAll(images, height, width, settings, Integer.MAX_VALUE);
    }

    /**
     * Enhances images of one size, at most {@code maxRows} rows (image x posterior sample) per network call: images
     * share a call while all their samples fit, otherwise one image's samples are drawn a few at a time. Each row's
     * noise has its own seed and each image's samples are summed in sample order, so the split never changes the output.
     */
    public List<Result> upscaleAll(List<float[]> images, int height, int width, SamplerSettings settings, int maxRows) {
        return upscaleAll(images, height, width, settings, maxRows, Degradation.AREA);
    }

    /**
     * @param degradation how the inputs were made: it picks the baseline (bicubic of the padded input, or zero-filling of
     *                    the unpadded one in the input's own units, as training made it) and the data-consistency
     *                    projection (box, or k-space on the unpadded region; the padding is cropped away anyway)
     */
    public List<Result> upscaleAll(List<float[]> images, int height, int width, SamplerSettings settings, int maxRows,
                                   Degradation degradation) {
        if (degradation == Degradation.KSPACE && kspace == null) {
            throw new IllegalArgumentException("kspace inputs need a k-space operator, which this pipeline was built without");
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, was " + maxRows);
        }
        ModelConfig.Normalisation n = model.config().normalisation();
        Padded p = new Padded(paddedSize(height), paddedSize(width), height, width, degradation);
        int count = images.size(), samples = settings.samples();
        List<IntensityNormalisation> norms = new ArrayList<>(count);
        float[][] inputs = new float[count][];
        float[][] baselines = degradation == Degradation.AREA ? null : new float[count][];
        float[][] consistent = degradation == Degradation.AREA ? null : new float[count][];
        float[] keep = degradation == Degradation.AREA ? null : new float[count];
        for (int i = 0; i < count; i++) {
            float[] img = images.get(i);
            if (img.length != height * width) {
                throw new IllegalArgumentException("image " + i + " has " + img.length + " values, expected " + height * width);
            }
            IntensityNormalisation norm = IntensityNormalisation.fit(img, n.lowPercentile(), n.highPercentile());
            norms.add(norm);
            float[] normalised = norm.forward(img);
            inputs[i] = padEdge(normalised, height, width, p.h, p.w);
            if (baselines != null) {
                float[] real = zeroFilled(img, height, width);
                float[] magnitude = new float[real.length];
                for (int q = 0; q < real.length; q++) {
                    magnitude[q] = Math.abs(real[q]);
                }
                // zero-filling is linear and keeps constants, so its real part may be normalised like the input; the
                // magnitude (the baseline training pairs were made with) is taken first
                baselines[i] = padEdge(norm.forward(magnitude), 2 * height, 2 * width, 2 * p.h, 2 * p.w);
                consistent[i] = norm.forward(real);
                ModelConfig.Sampling sampling = model.config().sampling();
                keep[i] = hardConsistency || sampling.kspaceEstimateError() == null ? 0f
                        : (float) sampling.kspaceEstimateWeight(kspace.noiseSd(normalised, height, width));
            }
        }
        Conditions conditions = new Conditions(inputs, baselines, consistent, keep);
        List<Result> results = new ArrayList<>(count);
        int imagesPerCall = Math.max(1, maxRows / samples);
        int samplesPerCall = Math.min(samples, maxRows);
        for (int first = 0, last; first < count; first = last) {
            last = (int) Math.min(count, (long) first + imagesPerCall);
            float[][] starts = settings.sampler().equals("regression") || settings.strength() >= 1 ? null
                    : priorEstimates(conditions, first, last, p);
            PosteriorMoments[] moments = new PosteriorMoments[last - first];
            for (int i = 0; i < moments.length; i++) {
                moments[i] = new PosteriorMoments(2 * height, 2 * width);
            }
            for (int from = 0; from < samples; from += samplesPerCall) {
                int to = Math.min(samples, from + samplesPerCall);
                float[] out = draw(conditions, starts, first, last, from, to, p, settings);
                for (int i = 0; i < moments.length; i++) {
                    for (int s = from; s < to; s++) {
                        moments[i].add(out, (i * (to - from) + (s - from)) * 4 * p.h * p.w, 2 * p.w);
                    }
                }
            }
            // the group's doubles go as soon as its samples are in: the heap holds one group's moments, not the batch's
            for (int i = 0; i < moments.length; i++) {
                IntensityNormalisation norm = norms.get(first + i);
                float[] spread = moments[i].spread();
                results.add(new Result(norm.inverse(moments[i].mean()), spread == null ? null : norm.inverseSpread(spread)));
            }
        }
        return results;
    }

    /** The input's size padded to the network's multiple (h, w), its own size and how it was made. */
    private record Padded(int h, int w, int height, int width, Degradation degradation) {
    }

    /**
     * Per image: the normalised, padded input; for KSPACE also its padded baseline, its unpadded zero-filled real
     * part (what the projection puts back) and the share of the estimate's window the projection keeps; null for AREA.
     */
    private record Conditions(float[][] inputs, float[][] baselines, float[][] consistent, float[] keep) {
    }

    /** Rows of images first..last-1, each repeated {@code times}: (input, baseline, consistent, keep) batches, null where absent. */
    private static float[][] rows(Conditions c, int first, int last, int times) {
        float[][] out = new float[4][];
        float[][] keep = c.keep() == null ? null : new float[c.keep().length][];
        for (int i = 0; keep != null && i < keep.length; i++) {
            keep[i] = new float[] {c.keep()[i]};
        }
        float[][][] from = {c.inputs(), c.baselines(), c.consistent(), keep};
        for (int k = 0; k < 4; k++) {
            if (from[k] == null) {
                continue;
            }
            int size = from[k][first].length;
            out[k] = new float[(last - first) * times * size];
            for (int i = first, r = 0; i < last; i++) {
                for (int t = 0; t < times; t++, r++) {
                    System.arraycopy(from[k][i], 0, out[k], r * size, size);
                }
            }
        }
        return out;
    }

    /** The regression prior's estimate of images first..last-1, one row each (it draws no noise). */
    private float[][] priorEstimates(Conditions c, int first, int last, Padded p) {
        if (prior == null) {
            throw new IllegalArgumentException("strength below 1 needs the regression prior, which this model lacks");
        }
        int rows = last - first, plane = p.h * p.w;
        float[][] batch = rows(c, first, last, 1);
        float[] out = run(batch[0], batch[1], batch[2], batch[3], null, new long[rows], p, (in, st, sd) -> diffusion.regress(prior.forward(), in));
        float[][] starts = new float[rows][];
        for (int i = 0; i < rows; i++) {
            starts[i] = java.util.Arrays.copyOfRange(out, i * 4 * plane, (i + 1) * 4 * plane);
        }
        return starts;
    }

    /** Samples from..to-1 of images first..last-1 in one network call; rows image-major, as rowSeeds orders them. */
    private float[] draw(Conditions c, float[][] starts, int first, int last, int from, int to, Padded p, SamplerSettings settings) {
        int rows = (last - first) * (to - from), plane = p.h * p.w;
        float[][] batch = rows(c, first, last, to - from);
        float[] start = starts == null ? null : new float[rows * 4 * plane];
        long[] seeds = new long[rows];
        long[] allSeeds = rowSeeds(1, to, settings.seed());
        for (int i = first, r = 0; i < last; i++) {
            for (int s = from; s < to; s++, r++) {
                if (start != null) {
                    System.arraycopy(starts[i - first], 0, start, r * 4 * plane, 4 * plane);
                }
                seeds[r] = allSeeds[s];
            }
        }
        if (settings.sampler().equals("regression")) {
            return run(batch[0], batch[1], batch[2], batch[3], null, seeds, p, (in, st, sd) -> diffusion.regress(model.forward(), in));
        }
        return run(batch[0], batch[1], batch[2], batch[3], start, seeds, p, (in, st, sd) -> diffusion.sample(model.forward(), scheduler(settings.sampler()),
                settings.steps(), in, sd, st, st == null ? 1.0 : settings.strength()));
    }

    private interface Network {
        NDArray apply(ConditionedInput in, NDArray start, long[] seeds);
    }

    /**
     * One network call over {@code seeds.length} rows. A single small row goes in twice (the copy is dropped): for one
     * image under 20480 input values ATen takes its own convolution instead of oneDNN's (use_mkldnn in
     * ConvUtils.h), whose sums differ in the last bits, and a slice's pixels would depend on how the work was split.
     */
    private float[] run(float[] lowRes, float[] baseline, float[] consistent, float[] keep, float[] start, long[] seeds, Padded p,
                        Network network) {
        int rows = seeds.length;
        int plane = p.h * p.w;
        if (rows == 1 && smallestConvolutionInput(model.config().channels(), plane) <= ONE_IMAGE_NATIVE_CONV_LIMIT) {
            float[] out = run(twice(lowRes), twice(baseline), twice(consistent), twice(keep), twice(start), new long[] {seeds[0], seeds[0]},
                    p, network);
            return java.util.Arrays.copyOf(out, 4 * plane);
        }
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray lr = scope.create(lowRes, new Shape(rows, 1, p.h, p.w));
            NDArray st = start == null ? null : scope.create(start, new Shape(rows, 1, 2L * p.h, 2L * p.w));
            ConditionedInput in;
            if (p.degradation == Degradation.AREA) {
                in = ConditionedInput.area(lr);
            } else {
                NDArray z = scope.create(consistent, new Shape(rows, 1, 2L * p.height, 2L * p.width));
                in = new ConditionedInput(Degradation.KSPACE, lr, scope.create(baseline, new Shape(rows, 1, 2L * p.h, 2L * p.w)),
                        new ConditionedInput.Projection() {
                            @Override
                            public NDArray apply(NDArray hr, NDArray low) {
                                return KspaceProjection.project(hr, z, p.height, p.width, keep);
                            }

                            @Override
                            public NDArray applyTwice(NDArray hr, NDArray low) {
                                return KspaceProjection.projectTwice(hr, z, p.height, p.width, keep);
                            }
                        });
            }
            return network.apply(in, st, seeds).toFloatArray();
        }
    }

    /** ATen's use_mkldnn: one image of at most this many values may take the native convolution. */
    static final int ONE_IMAGE_NATIVE_CONV_LIMIT = 20480;
    /**
     * Values in the smallest convolution input of the U-Net for one image of {@code plane} low-resolution pixels: the
     * network runs at the low-resolution grid with 8 channels, then c0 channels at a quarter of it, c1 at a sixteenth.
     */
    static long smallestConvolutionInput(int[] channels, int plane) {
        return Math.min(8L * plane, Math.min((long) channels[0] * plane / 4, (long) channels[1] * plane / 16));
    }

    private static float[] twice(float[] row) {
        if (row == null) {
            return null;
        }
        float[] out = java.util.Arrays.copyOf(row, 2 * row.length);
        System.arraycopy(row, 0, out, row.length, row.length);
        return out;
    }

    /**
     * Posterior sample s of every image draws from the same stream, seeded by (seed, s): an image's output is the same
     * whatever the batch it is enhanced in, so batching never changes what a request's deterministic UIDs name.
     */
    static long[] rowSeeds(int images, int samples, long seed) {
        long[] seeds = new long[images * samples];
        for (int i = 0; i < images; i++) {
            for (int s = 0; s < samples; s++) {
                seeds[i * samples + s] = s == 0 ? seed : seed ^ (s * 0x9E3779B97F4A7C15L);
            }
        }
        return seeds;
    }

    private Scheduler scheduler(String name) {
        NoiseSchedule schedule = diffusion.schedule();
        return name.equals("ddpm") ? new DdpmScheduler(schedule) : new DdimScheduler(schedule, 0);
    }

    /** An input side padded to the network's size multiple (the output is twice this). */
    public static int paddedSize(int size) {
        return roundUp(size, ConditionalUNet.sizeMultiple() / 2);
    }

    private static int roundUp(int v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
    }

    /** The zero-filled input's real part, in torch ({@link KspaceProjection#zeroFill}): the baseline and the projection's z. */
    private float[] zeroFilled(float[] image, int height, int width) {
        try (NDManager scope = model.manager().newSubManager()) {
            return KspaceProjection.zeroFill(scope.create(image, new Shape(1, 1, height, width)), height, width).toFloatArray();
        }
    }

    /** Pads by repeating the last row and column, so the box average of the padded area stays plausible. */
    static float[] padEdge(float[] img, int h, int w, int ph, int pw) {
        float[] out = new float[ph * pw];
        for (int y = 0; y < ph; y++) {
            int sy = Math.min(y, h - 1);
            for (int x = 0; x < pw; x++) {
                out[y * pw + x] = img[sy * w + Math.min(x, w - 1)];
            }
        }
        return out;
    }
}
