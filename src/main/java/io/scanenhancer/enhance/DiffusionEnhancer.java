package io.scanenhancer.enhance;

import io.scanenhancer.diffusion.Degradation;

import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.image.SpreadMethod;

import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.ModelRoutes;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.SamplerSettings;
import io.scanenhancer.diffusion.SuperResolutionPipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shipped diffusion model behind the {@link Enhancer} interface, with the out-of-distribution guard: every input
 * is scored by {@link OutOfDistributionGuard}; flagged inputs are marked, and with {@code fallBackWhenOutOfDistribution}
 * they get the classical interpolation for their degradation instead of the model's output. Each degradation is
 * answered by the network pair its model folder routes it to ({@link ModelRoutes}: one pair for all in a plain folder).
 * Inputs of a degradation no pair was trained for never reach a network: they get that classical interpolation at
 * once, marked as a fall-back, because a box-trained model is worse than zero-filling on k-space inputs.
 */
public final class DiffusionEnhancer implements Enhancer {
    /** Images per network call unless the caller says; bounded so that memory stays flat for long series. */
    public static final int DEFAULT_MAX_BATCH = 4;

    private final Map<Degradation, NetworkPair> pairs;
    private final String id;
    private final String version;
    private final boolean fallBack;
    private final int maxBatch;
    private final MemoryBudget budget;
    /** Null for the enhancer that loaded the folder (it closes every pair); an adapted copy closes only this prior. */
    private final PretrainedModel adaptedPrior;

    public DiffusionEnhancer(Path modelDir, boolean fallBackWhenOutOfDistribution) throws IOException {
        this(modelDir, fallBackWhenOutOfDistribution, DEFAULT_MAX_BATCH);
    }

    /** @param maxBatch most images in one network call; a larger {@link #enhanceAll} list is split */
    public DiffusionEnhancer(Path modelDir, boolean fallBackWhenOutOfDistribution, int maxBatch) throws IOException {
        this(modelDir, fallBackWhenOutOfDistribution, maxBatch, MemoryBudget.fromEnvironment(MemoryBudget.DEFAULT_SAFETY_FACTOR));
    }

    /**
     * @param budget native memory one call may use: work is split into network calls that fit it (images in smaller
     *               groups, posterior samples a few at a time); the output does not depend on the split
     */
    public DiffusionEnhancer(Path modelDir, boolean fallBackWhenOutOfDistribution, int maxBatch, MemoryBudget budget)
            throws IOException {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
        }
        this.maxBatch = maxBatch;
        ModelRoutes routes = ModelRoutes.isRouted(modelDir) ? ModelRoutes.read(modelDir) : null;
        this.pairs = loadPairs(routes == null ? ModelRoutes.membersOf(modelDir) : routes.members(modelDir));
        if (routes != null) {
            Map<String, ModelConfig> configs = new LinkedHashMap<>();
            pairs.forEach((d, p) -> configs.put(d.id(), p.config()));
            this.id = routes.id();
            this.version = routes.version() + "+" + ModelRoutes.weightsDigest(configs).substring(0, 12);
        } else {
            ModelConfig c = pairs.values().iterator().next().config();
            this.id = c.id();
            this.version = c.version() + "+" + c.weightsSha256().substring(0, 12);
        }
        this.budget = budget.withCurrentBaseline();
        System.getLogger(DiffusionEnhancer.class.getName()).log(System.Logger.Level.INFO, "diffusion enhancer memory budget: "
                + this.budget.describe());
        this.fallBack = fallBackWhenOutOfDistribution;
        this.adaptedPrior = null;
    }

    /** Loads each member folder once; every pair must enlarge by the same factor. */
    private static Map<Degradation, NetworkPair> loadPairs(Map<String, Path> members) throws IOException {
        Map<Path, NetworkPair> loaded = new LinkedHashMap<>();
        Map<Degradation, NetworkPair> pairs = new java.util.EnumMap<>(Degradation.class);
        try {
            for (Map.Entry<String, Path> m : members.entrySet()) {
                NetworkPair pair = loaded.get(m.getValue());
                if (pair == null) {
                    pair = NetworkPair.load(m.getValue());
                    loaded.put(m.getValue(), pair);
                }
                if (pair.config().scale() != loaded.values().iterator().next().config().scale()) {
                    throw new IOException(m.getValue() + " enlarges " + pair.config().scale() + "x, unlike the other routes");
                }
                pairs.put(Degradation.of(m.getKey()), pair);
            }
        } catch (IOException | RuntimeException e) {
            loaded.values().forEach(NetworkPair::close);
            throw e;
        }
        return pairs;
    }

    /** An adapted copy: the same networks, guard and budget, with {@code prior} as the sampler's start for {@code d}. */
    private DiffusionEnhancer(DiffusionEnhancer base, Degradation d, PretrainedModel prior) {
        this.maxBatch = base.maxBatch;
        this.pairs = new java.util.EnumMap<>(base.pairs);
        this.pairs.put(d, base.pairs.get(d).withPrior(prior));
        this.id = base.id;
        this.version = base.version;
        this.budget = base.budget;
        this.fallBack = base.fallBack;
        this.adaptedPrior = prior;
    }

    /**
     * This enhancer with the regression prior that answers {@code d} fine-tuned on {@code series} (see
     * {@link SeriesAdaptation}); the caller closes it, which frees the adapted prior only. Work files live in a
     * temporary folder deleted before this returns.
     */
    public DiffusionEnhancer adaptedTo(List<FloatImage> series, Degradation d, io.scanenhancer.diffusion.PriorAdaptation.Settings s)
            throws IOException {
        NetworkPair pair = pairs.get(d);
        if (pair == null || pair.prior() == null) {
            throw new IllegalStateException(modelId() + " has no regression prior for " + d.id() + " inputs to adapt");
        }
        Path work = java.nio.file.Files.createTempDirectory("scanenhancer-adapt-");
        try {
            return new DiffusionEnhancer(this, d, SeriesAdaptation.adapt(pair.prior(),
                    pair.dir().resolve(pair.config().priorWeightsFile()), series, d, s, work));
        } finally {
            try (var files = java.nio.file.Files.walk(work)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.deleteIfExists(f);
                }
            }
        }
    }

    @Override
    public String modelId() {
        return id;
    }

    @Override
    public String modelVersion() {
        return version;
    }

    @Override
    public int scale() {
        return pairs.values().iterator().next().config().scale();
    }

    /** The config of the network pair that answers {@code d}; null where none does. */
    public ModelConfig config(Degradation d) {
        NetworkPair pair = pairs.get(d);
        return pair == null ? null : pair.config();
    }

    /** The sampling pipeline (diffusion network and prior) that answers {@code d}, without the guard; null where none does. */
    public SuperResolutionPipeline pipeline(Degradation d) {
        NetworkPair pair = pairs.get(d);
        return pair == null ? null : pair.pipeline();
    }

    public MemoryBudget budget() {
        return budget;
    }

    /** The request's sampler settings, the defaults of the pair that answers its degradation where it is silent. */
    public SamplerSettings resolve(EnhanceSettings s) {
        NetworkPair pair = pairs.get(s.degradationOrDefault());
        ModelConfig.Sampling d = (pair == null ? pairs.values().iterator().next() : pair).config().sampling();
        return new SamplerSettings(
                s.sampler() == null ? d.sampler() : s.sampler(),
                s.steps() == null ? d.steps() : s.steps(),
                s.samplesAsked() == null ? d.samples() : s.samplesAsked(),
                s.seed() == null ? d.seed() : s.seed(),
                s.strength() == null ? d.strength() : s.strength());
    }

    @Override
    public double spreadFactor(Degradation d) {
        NetworkPair pair = pairs.get(d);
        return pair == null ? 1.0 : pair.config().spreadFactor(d.id());
    }

    @Override
    public SpreadMethod spreadMethod(Degradation d) {
        NetworkPair pair = pairs.get(d);
        ModelConfig.SpreadCalibration c = pair == null ? null : pair.config().spreadCalibration();
        return c == null || !c.methodOrDefault().equals(SpreadMethod.SELF_TEST_NAME) ? SpreadMethod.POSTERIOR
                : SpreadMethod.selfTest(c.blurSigmaOrZero(), c.noiseFloorFor(d.id())).withGradientBlur(c.gradientBlurOrZero());
    }

    @Override
    public boolean runsModelFor(Degradation d) {
        return pairs.containsKey(d);
    }

    /**
     * "ddim1 seed0": sampler and steps, the strength when the request set it, and the seed, then the degradation when
     * not the default; "zero-fill" where the model does not run for the degradation.
     */
    @Override
    public String settingsLabel(EnhanceSettings settings) {
        Degradation d = settings.degradationOrDefault();
        if (!runsModelFor(d)) {
            return d.interpolation();
        }
        SamplerSettings s = resolve(settings);
        return (d == Degradation.DEFAULT ? "" : d.id() + " ") + s.sampler() + s.steps() + (settings.strength() == null ? "" : String.format(java.util.Locale.ROOT, " str%.2f", s.strength()))
                + " seed" + s.seed();
    }

    @Override
    public EnhancedImage enhance(FloatImage lowResolution, EnhanceSettings settings) {
        return enhanceAll(List.of(lowResolution), settings).get(0);
    }

    @Override
    public List<EnhancedImage> enhanceAll(List<FloatImage> images, EnhanceSettings settings) {
        Degradation d = settings.degradationOrDefault();
        if (!runsModelFor(d)) {
            String method = d.interpolation() + " (" + modelId() + " " + version.substring(0, version.indexOf('+'))
                    + " was not trained for " + d.id() + " inputs)";
            return images.stream().map(img -> new EnhancedImage(ClassicalInterpolation.upscale(d, img, scale()), null, method, false, 0, true)).toList();
        }
        SamplerSettings s = resolve(settings);
        SamplerSettings selfTest = new SamplerSettings(s.sampler(), s.steps(), 1, s.seed(), s.strength());
        NetworkPair pair = pairs.get(d);
        Upscaled made = upscale(images, s, d);
        List<FloatImage> testInputs = OutOfDistributionGuard.selfTestInputs(images, d);
        // the self-test's truth is the input, noise and all: it runs with the hard projection, which keeps the noise
        List<FloatImage> testOutputs = upscale(testInputs, selfTest, d, true).images();
        SpreadMethod spread = spreadMethod(d);
        if (spread.isSelfTest() && s.samples() > 1) {
            made = made.withSelfTestSpreads(images, testOutputs, spread);
        }
        made = made.withSpreadTimes(spreadFactor(d));
        double[] scores = OutOfDistributionGuard.scores(images, testInputs, testOutputs, d);
        String method = "diffusion " + s.sampler() + " " + s.steps() + " steps"
                + (s.strength() < 1 ? String.format(" from the regression prior at strength %.2f", s.strength()) : "") + (s.samples() > 1 ? ", mean of " + s.samples() + " samples" : "") + ", seed " + s.seed()
                + kspaceConsistency(pair, d);
        List<EnhancedImage> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            boolean ood = pair.guard().isOutOfDistribution(scores[i]);
            if (ood && fallBack) {
                out.add(new EnhancedImage(ClassicalInterpolation.upscale(d, images.get(i), scale()), null,
                        d.interpolation() + " (out-of-distribution guard)", true, -scores[i], true));
            } else {
                out.add(new EnhancedImage(made.images().get(i), made.spreads().get(i), method, ood, -scores[i], false));
            }
        }
        return out;
    }

    /** How the k-space window was made, where it is not simply the input's (soft consistency); "" otherwise. */
    static String kspaceConsistency(NetworkPair pair, Degradation d) {
        Double tau = pair.config().sampling().kspaceEstimateError();
        return d != Degradation.KSPACE || tau == null ? "" : String.format(java.util.Locale.ROOT,
                ", acquired k-space window blended with the model's by the input's noise sd s: s^2 / (s^2 + %.3f^2) of the model's", tau);
    }

    private record Upscaled(List<FloatImage> images, List<FloatImage> spreads) {
        /**
         * The posterior spreads replaced by {@link SelfTestSpread}s made from the guard's self-test; an input too small
         * for a self-test gets no spread.
         */
        Upscaled withSelfTestSpreads(List<FloatImage> inputs, List<FloatImage> testOutputs, SpreadMethod method) {
            List<FloatImage> spread = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                spread.add(testOutputs.get(i) == null ? null : SelfTestSpread.of(inputs.get(i), testOutputs.get(i), images.get(i), method));
            }
            return new Upscaled(images, spread);
        }

        /** The spreads multiplied by a calibration factor c: the standard deviation of the calibrated posterior. */
        Upscaled withSpreadTimes(double c) {
            if (c == 1.0) {
                return this;
            }
            List<FloatImage> scaled = new ArrayList<>(spreads.size());
            for (FloatImage sd : spreads) {
                if (sd == null) {
                    scaled.add(null);
                    continue;
                }
                float[] v = sd.pixels().clone();
                for (int i = 0; i < v.length; i++) {
                    v[i] *= (float) c;
                }
                scaled.add(new FloatImage(sd.height(), sd.width(), v));
            }
            return new Upscaled(images, scaled);
        }
    }

    /** Upscales images in batches of equal size; nulls stay null. */
    private Upscaled upscale(List<FloatImage> images, SamplerSettings s, Degradation d) {
        return upscale(images, s, d, false);
    }

    /** @param selfTest with the hard k-space projection ({@link SuperResolutionPipeline#withHardConsistency}) */
    private Upscaled upscale(List<FloatImage> images, SamplerSettings s, Degradation d, boolean selfTest) {
        FloatImage[] out = new FloatImage[images.size()];
        FloatImage[] spread = new FloatImage[images.size()];
        Map<String, List<Integer>> bySize = new LinkedHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            FloatImage img = images.get(i);
            if (img != null) {
                bySize.computeIfAbsent(img.height() + "x" + img.width(), k -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> group : bySize.values()) {
            FloatImage sized = images.get(group.get(0));
            int maxRows = rowsPerCall(sized.height(), sized.width());
            for (int from = 0; from < group.size(); from += maxBatch) {
                List<Integer> chunk = group.subList(from, Math.min(group.size(), from + maxBatch));
                FloatImage first = images.get(chunk.get(0));
                List<float[]> pixels = new ArrayList<>();
                for (int i : chunk) {
                    pixels.add(images.get(i).pixels());
                }
                SuperResolutionPipeline pipeline = selfTest ? pairs.get(d).pipeline().withHardConsistency() : pairs.get(d).pipeline();
                List<SuperResolutionPipeline.Result> results = pipeline.upscaleAll(pixels, first.height(), first.width(), s, maxRows, d);
                for (int k = 0; k < chunk.size(); k++) {
                    int h = first.height() * 2, w = first.width() * 2;
                    out[chunk.get(k)] = new FloatImage(h, w, results.get(k).mean());
                    if (results.get(k).spread() != null) {
                        spread[chunk.get(k)] = new FloatImage(h, w, results.get(k).spread());
                    }
                }
            }
        }
        return new Upscaled(java.util.Arrays.asList(out), java.util.Arrays.asList(spread));
    }

    /** Rows of one network call on height x width inputs that fit the budget; refuses inputs of which one row does not. */
    int rowsPerCall(int height, int width) {
        int oh = 2 * SuperResolutionPipeline.paddedSize(height), ow = 2 * SuperResolutionPipeline.paddedSize(width);
        int rows = budget.rowsPerCall(oh, ow);
        if (rows < 1) {
            throw new MemoryBudgetExceededException(String.format(java.util.Locale.ROOT,
                    "a %dx%d image needs about %d MiB for one network call, more than the enhancer's memory budget of %d MiB "
                            + "(enhancer.memory.budget)", height, width, budget.estimate(1, oh, ow) >> 20, budget.bytes() >> 20));
        }
        return rows;
    }

    @Override
    public void close() {
        if (adaptedPrior != null) {
            adaptedPrior.close();
            return;
        }
        new java.util.LinkedHashSet<>(pairs.values()).forEach(NetworkPair::close);
    }
}
