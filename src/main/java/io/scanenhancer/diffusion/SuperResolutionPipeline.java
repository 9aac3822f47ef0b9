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
    private final SuperResolutionDiffusion diffusion;

    public SuperResolutionPipeline(PretrainedModel model) {
        this(model, null);
    }

    /**
     * @param prior the regression network whose estimate starts sampling when strength is below 1; may be null
     */
    public SuperResolutionPipeline(PretrainedModel model, PretrainedModel prior) {
        this.model = model;
        this.prior = prior;
        ModelConfig c = model.config();
        this.diffusion = new SuperResolutionDiffusion(NoiseSchedule.cosine(c.trainTimesteps()), c.residualScale());
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

    /** Enhances images of one size together: the batch dimension holds every image times every posterior sample. */
    public List<Result> upscaleAll(List<float[]> images, int height, int width, SamplerSettings settings) {
        ModelConfig.Normalisation n = model.config().normalisation();
        int multiple = ConditionalUNet.sizeMultiple() / 2;
        int ph = roundUp(height, multiple), pw = roundUp(width, multiple);
        int count = images.size(), samples = settings.samples();
        List<IntensityNormalisation> norms = new ArrayList<>(count);
        float[] batch = new float[count * samples * ph * pw];
        for (int i = 0; i < count; i++) {
            float[] img = images.get(i);
            if (img.length != height * width) {
                throw new IllegalArgumentException("image " + i + " has " + img.length + " values, expected " + height * width);
            }
            IntensityNormalisation norm = IntensityNormalisation.fit(img, n.lowPercentile(), n.highPercentile());
            norms.add(norm);
            float[] padded = padEdge(norm.forward(img), height, width, ph, pw);
            for (int s = 0; s < samples; s++) {
                System.arraycopy(padded, 0, batch, (i * samples + s) * ph * pw, ph * pw);
            }
        }
        float[] out;
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray lr = scope.create(batch, new Shape((long) count * samples, 1, ph, pw));
            NDArray hr;
            if (settings.sampler().equals("regression")) {
                hr = diffusion.regress(model.forward(), lr);
            } else if (settings.strength() < 1) {
                if (prior == null) {
                    throw new IllegalArgumentException("strength below 1 needs the regression prior, which this model lacks");
                }
                NDArray start = diffusion.regress(prior.forward(), lr);
                hr = diffusion.sample(model.forward(), scheduler(settings.sampler()), settings.steps(), lr,
                        rowSeeds(count, samples, settings.seed()), start, settings.strength());
            } else {
                hr = diffusion.sample(model.forward(), scheduler(settings.sampler()), settings.steps(), lr,
                        rowSeeds(count, samples, settings.seed()), null, 1.0);
            }
            out = hr.toFloatArray();
        }
        List<Result> results = new ArrayList<>(count);
        int oh = 2 * height, ow = 2 * width, poh = 2 * ph, pow = 2 * pw;
        for (int i = 0; i < count; i++) {
            double[] sum = new double[oh * ow], sumSq = new double[oh * ow];
            for (int s = 0; s < samples; s++) {
                int base = (i * samples + s) * poh * pow;
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        double v = out[base + y * pow + x];
                        sum[y * ow + x] += v;
                        sumSq[y * ow + x] += v * v;
                    }
                }
            }
            float[] mean = new float[oh * ow];
            float[] spread = samples > 1 ? new float[oh * ow] : null;
            for (int p = 0; p < mean.length; p++) {
                double m = sum[p] / samples;
                mean[p] = (float) m;
                if (spread != null) {
                    spread[p] = (float) Math.sqrt(Math.max(0, (sumSq[p] - samples * m * m) / (samples - 1)));
                }
            }
            IntensityNormalisation norm = norms.get(i);
            results.add(new Result(norm.inverse(mean), spread == null ? null : norm.inverseSpread(spread)));
        }
        return results;
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

    private static int roundUp(int v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
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
