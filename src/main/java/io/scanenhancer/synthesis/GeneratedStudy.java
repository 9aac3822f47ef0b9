package io.scanenhancer.synthesis;

import io.scanenhancer.diffusion.GeneratorConfig;
import io.scanenhancer.diffusion.SyntheticStackPipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic study from the position-conditioned slice generator and the super-resolution cascade (images only, no
 * labels): {@code count} slices {@code spacing} apart, centred on the middle of the axial range the generator was
 * trained on, which the slab must not leave; all slices from one shared initial noise (a coherent stack). A slice the
 * memorisation audit rejects is drawn again alone from new noise (so it is less coherent with its neighbours than
 * the rest), within {@link Redraws}.
 */
public final class GeneratedStudy {

    /**
     * @param stack  the published slices (redrawn ones replaced)
     * @param sliceZ patient z of each slice (mm from the middle of the training volume)
     */
    public record Result(StudySpec spec, SyntheticStackPipeline.Stack stack, double[] sliceZ, MemorisationAudit.Report audit,
                         List<Redraws.Redraw> redraws, int redrawBudget, long millis) {
    }

    private GeneratedStudy() {
    }

    /** Axial indices of the training volume for the spec, or a refusal with the reason. */
    static double[] positions(GeneratorConfig c, StudySpec spec) {
        double first = c.positionRange()[0], last = c.positionRange()[1];
        double step = spec.spacing() / c.sliceSpacingMm(), centre = (first + last) / 2;
        double[] k = new double[spec.count()];
        for (int i = 0; i < k.length; i++) {
            k[i] = centre + (i - (k.length - 1) / 2.0) * step;
        }
        if (k[0] < first - 1e-9 || k[k.length - 1] > last + 1e-9) {
            double range = (last - first) * c.sliceSpacingMm();
            throw new IllegalArgumentException(spec.count() + " slices x " + StudySpec.fmt(spec.spacing()) + " mm span "
                    + StudySpec.fmt((spec.count() - 1) * spec.spacing()) + " mm between the first and last slice centres; the generator "
                    + c.id() + " knows axial positions over " + StudySpec.fmt(range) + " mm only: ask for fewer slices or a smaller spacing");
        }
        return k;
    }

    public static Result draw(SyntheticStackPipeline pipeline, MemorisationAudit audit, StudySpec spec) {
        long start = System.nanoTime();
        GeneratorConfig c = pipeline.generatorConfig();
        double[] k = positions(c, spec);
        SyntheticStackPipeline.Stack stack = pipeline.generateAt(k, spec.seed(), null, null, true);
        List<float[]> low = new ArrayList<>(stack.lowRes()), full = new ArrayList<>(stack.fullRes());
        List<MemorisationAudit.Match> verdicts = new ArrayList<>();
        for (float[] img : low) {
            verdicts.add(audit.match(normalised(img)));
        }
        Redraws redraws = new Redraws(k.length);
        for (boolean again = true; again; ) {
            again = false;
            for (int i = 0; i < k.length; i++) {
                if (!verdicts.get(i).rejected()) {
                    continue;
                }
                int attempt = redraws.take(i, verdicts.get(i));
                SyntheticStackPipeline.Stack one = pipeline.generateAt(new double[] {k[i]},
                        RandomSeeds.of(spec.seed(), "generator-redraw", i, attempt), null, null, false);
                low.set(i, one.lowRes().get(0));
                full.set(i, one.fullRes().get(0));
                verdicts.set(i, audit.match(normalised(low.get(i))));
                again = true;
            }
        }
        List<MemorisationAudit.Match> numbered = new ArrayList<>();
        for (int i = 0; i < k.length; i++) {
            MemorisationAudit.Match m = verdicts.get(i);
            numbered.add(new MemorisationAudit.Match(i, m.nearestTrainingSlice(), m.distance(), m.rejected()));
        }
        SyntheticStackPipeline.Stack published = new SyntheticStackPipeline.Stack(low, full, stack.lowResSize(), stack.size(),
                stack.pixelSpacingMm(), k, spec.spacing(), stack.method(), stack.generateMillis(), stack.upscaleMillis());
        double[] z = new double[k.length];
        for (int i = 0; i < k.length; i++) {
            z[i] = (k[i] - (c.depth() - 1) / 2.0) * c.sliceSpacingMm();
        }
        MemorisationAudit.Report report = new MemorisationAudit.Report(audit.metric(), audit.threshold(), audit.trainingSlices(), numbered);
        return new Result(spec, published, z, report, redraws.done(), redraws.budget(), (System.nanoTime() - start) / 1_000_000);
    }

    /** The audit compares in the generator's normalisation: back from 0..255 to [-1, 1]. */
    static float[] normalised(float[] img) {
        float[] n = new float[img.length];
        for (int i = 0; i < img.length; i++) {
            n[i] = img[i] / 127.5f - 1;
        }
        return n;
    }
}
