package io.scanenhancer.synthesis;

import io.scanenhancer.diffusion.GeneratorConfig;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.SliceGenerator;
import io.scanenhancer.diffusion.SyntheticStackPipeline;
import io.scanenhancer.evaluation.GeneratorQuality;
import io.scanenhancer.evaluation.SampleGrid;
import io.scanenhancer.training.GeneratorTrainingData;
import io.scanenhancer.volume.HeldOutSlab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The generator's evaluation and shipping policy (what {@code ./enhancer evaluate-generator} runs): calibrates the
 * memorisation threshold on real slices, picks the sampler and step count by the feature distance to the held-out
 * slab, measures the cascade at full resolution against real slices, audits a 32-slice study, draws the sample grid
 * and, when shipping, writes the model folder (weights, checksummed config, EVALUATION.md, samples.png). It lives
 * here, not in io.scanenhancer.evaluation, because it needs the memorisation audit and the study synthesizer.
 */
public final class GeneratorEvaluation {
    private GeneratorEvaluation() {
    }

    private record Candidate(String sampler, int steps, double histogram, double feature, long millis) {
    }

    /**
     * @param weightsOrNull the snapshot to evaluate; null: the run's latest
     * @param samplers      comma-separated SAMPLER:STEPS candidates
     * @param ship          the model folder to write, or null to only report
     */
    public static String run(Path run, Path data, Path sr, Path weightsOrNull, String samplers, double threshold, Path ship,
                             PrintStream log) throws IOException {
        StringBuilder md = new StringBuilder();
        GeneratorConfig config = GeneratorConfig.read(run.resolve("config.json"));
        Path weights = weightsOrNull != null ? weightsOrNull : latestSnapshot(run);
        HeldOutSlab slab = HeldOutSlab.CH2;
        List<GeneratorTrainingData.Slice> heldOut = GeneratorTrainingData.slices(data, slab.firstSlice(), slab.endSlice() - 1);
        List<GeneratorTrainingData.Slice> near = new ArrayList<>(GeneratorTrainingData.slices(data, slab.excludedFrom() - 12, slab.excludedFrom() - 1));
        near.addAll(GeneratorTrainingData.slices(data, slab.excludedTo(), slab.excludedTo() + 11));
        MemorisationAudit audit = StudySynthesizer.auditAgainst(data, threshold);
        double[] heldOutK = heldOut.stream().mapToDouble(GeneratorTrainingData.Slice::index).toArray();

        md.append("# Evaluation: ").append(config.id()).append(' ').append(config.version()).append("\n\n");
        md.append("Weights: `").append(weights.getFileName()).append("` (EMA), trained for ")
                .append(config.training().get("stepsDone")).append(" steps. All figures below were measured by `./enhancer evaluate-generator`.\n\n");
        calibration(md, audit, heldOut, data);

        List<Candidate> candidates = new ArrayList<>();
        List<float[]> heldOutLow = heldOut.stream().map(GeneratorTrainingData::lowResolution).map(SyntheticStackPipeline::toVolumeUnits).toList();
        try (SliceGenerator generator = SliceGenerator.load(config, weights)) {
            float[] positions = new float[heldOutK.length];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = config.position(heldOutK[i]);
            }
            for (String spec : samplers.split(",")) {
                String[] p = spec.split(":");
                long t0 = System.nanoTime();
                List<float[]> s = generator.generate(positions, p[0], Integer.parseInt(p[1]), 1000, false).stream()
                        .map(SyntheticStackPipeline::toVolumeUnits).toList();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                candidates.add(new Candidate(p[0], Integer.parseInt(p[1]), GeneratorQuality.histogramDistance(s, heldOutLow),
                        GeneratorQuality.featureDistance(s, heldOutLow, config.size()), ms));
                log.printf(Locale.ROOT, "%s %s steps: histogram %.2f, feature %.2f, %d ms for %d slices%n", p[0], p[1],
                        candidates.get(candidates.size() - 1).histogram, candidates.get(candidates.size() - 1).feature, ms, positions.length);
            }
        }
        // the lowest feature distance; within 5% of it, the fewest steps
        double bestFeature = candidates.stream().mapToDouble(Candidate::feature).min().orElseThrow();
        Candidate chosen = candidates.stream().filter(c -> c.feature <= 1.05 * bestFeature)
                .min((a, b) -> Integer.compare(a.steps, b.steps)).orElseThrow();
        GeneratorConfig shipped = config.withSampling(new GeneratorConfig.Sampling(chosen.sampler, chosen.steps));
        samplerTable(md, candidates, chosen, heldOutK.length);

        List<float[]> realHeldOut = heldOut.stream().map(GeneratorTrainingData::fullResolution).toList();
        List<float[]> realNear = near.stream().map(GeneratorTrainingData::fullResolution).toList();
        SliceGenerator generator = SliceGenerator.load(shipped, weights);
        try (SyntheticStackPipeline pipeline = SyntheticStackPipeline.withUpscaler(generator, sr)) {
            SyntheticStackPipeline.Stack samples = pipeline.generateAt(heldOutK, 2000, null, null, false);
            quality(md, samples.fullRes(), realHeldOut, realNear, samples.size());
            StudySynthesizer synthesizer = new StudySynthesizer(pipeline, audit, null);
            StudySynthesizer.Result study = synthesizer.synthesize(32, 0);
            MemorisationAudit.Report report = study.audit();
            md.append("## A 32-slice study (seed 0)\n\n");
            md.append(String.format(Locale.ROOT, "- Time: %d ms in all (generator %d ms, super-resolution %d ms, the rest audit and DICOM), 2 cores.%n",
                    study.millis(), study.stack().generateMillis(), study.stack().upscaleMillis()));
            md.append(String.format(Locale.ROOT, "- Memorisation audit: closest distance %.4f, median %.4f, %d of 32 rejected at threshold %.3f.%n",
                    report.closestDistance(), report.medianDistance(), report.rejected(), report.threshold()));
            md.append(String.format(Locale.ROOT, "- Slice spacing %.2f mm, pixel spacing %.2f mm, %dx%d.%n%n",
                    study.stack().sliceSpacingMm(), study.stack().pixelSpacingMm(), study.stack().size(), study.stack().size()));
            List<float[]> stackRow = new ArrayList<>(), realRow = new ArrayList<>();
            List<GeneratorTrainingData.Slice> atStack = GeneratorTrainingData.slices(data, 0, config.depth() - 1);
            for (int i = 0; i < 32; i += 4) {
                stackRow.add(study.stack().fullRes().get(i));
                realRow.add(GeneratorTrainingData.fullResolution(atStack.get((int) Math.round(study.stack().axialIndices()[i]))));
            }
            Path gridDir = ship != null ? ship : run;
            List<float[]> heldOutSynth = new ArrayList<>(), heldOutReal = new ArrayList<>();
            for (int i = 0; i < 20; i += 3) {
                heldOutSynth.add(samples.fullRes().get(i));
                heldOutReal.add(realHeldOut.get(i));
            }
            SampleGrid.write(gridDir.resolve("samples.png"), List.of(
                    new SampleGrid.Row("synthetic study, seed 0: every 4th of 32 slices, bottom to top", stackRow),
                    new SampleGrid.Row("real ch2 slices at the same positions", realRow),
                    new SampleGrid.Row("synthetic, independent seeds, at held-out positions 80, 83, ... 98", heldOutSynth),
                    new SampleGrid.Row("real held-out slices 80, 83, ... 98 (never trained on)", heldOutReal)), samples.size(), 8);
            md.append("`samples.png`: rows 1-2 the study against real slices at the same positions, rows 3-4 independent samples at held-out positions against the real held-out slices.\n");
        }
        log.print(md);
        if (ship != null) {
            shipTo(ship, shipped, weights, md.toString(), log);
        }
        return md.toString();
    }

    /** How far real slices are from the training set: what the memorisation threshold must stay below. */
    private static void calibration(StringBuilder md, MemorisationAudit audit, List<GeneratorTrainingData.Slice> heldOut, Path data) throws java.io.IOException {
        MemorisationAudit.Report real = audit.audit(heldOut.stream().map(GeneratorTrainingData::lowResolution).toList());
        // each training slice against its neighbours 1 and 2 mm away: how alike real slices that close are
        List<GeneratorTrainingData.Slice> train = GeneratorTrainingData.load(data, HeldOutSlab.CH2).slices();
        List<Double> oneMm = new ArrayList<>(), twoMm = new ArrayList<>();
        for (int i = 0; i + 2 < train.size(); i++) {
            float[] a = GeneratorTrainingData.lowResolution(train.get(i));
            if (train.get(i + 1).index() == train.get(i).index() + 1) {
                oneMm.add(1 - maxNcc(a, GeneratorTrainingData.lowResolution(train.get(i + 1))));
            }
            if (train.get(i + 2).index() == train.get(i).index() + 2) {
                twoMm.add(1 - maxNcc(a, GeneratorTrainingData.lowResolution(train.get(i + 2))));
            }
        }
        md.append("## Memorisation threshold, calibrated on real slices\n\n");
        md.append("Distance = ").append(MemorisationAudit.METRIC).append(".\n\n");
        md.append("| pair | min | median | max |\n|---|---|---|---|\n");
        double[] r = real.matches().stream().mapToDouble(MemorisationAudit.Match::distance).sorted().toArray();
        md.append(String.format(Locale.ROOT, "| held-out real slice (80..99) to its nearest training slice | %.4f | %.4f | %.4f |%n", r[0], r[r.length / 2], r[r.length - 1]));
        row(md, "training slice to the slice 1 mm away", oneMm);
        row(md, "training slice to the slice 2 mm away", twoMm);
        md.append(String.format(Locale.ROOT, "%nThreshold in use: %.3f. A synthetic slice at or below it is closer to a training slice than real neighbouring slices usually are to each other, and is not published.%n%n", audit.threshold()));
    }

    static double maxNcc(float[] a, float[] b) {
        return MemorisationAudit.maxCorrelation(a, b, GeneratorTrainingData.SIZE);
    }

    private static void row(StringBuilder md, String label, List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f |%n", label, v[0], v[v.length / 2], v[v.length - 1]));
    }

    private static void samplerTable(StringBuilder md, List<Candidate> candidates, Candidate chosen, int n) {
        md.append("## Sampler and step count, chosen by measurement\n\n");
        md.append("Independent samples at the ").append(n).append(" held-out positions (seed 1000), against the real held-out slices, at the generator's 64x64. ")
                .append("Chosen: the lowest feature distance, or within 5% of it the fewest steps.\n\n");
        md.append("| sampler | steps | histogram W1 (grey levels) | feature distance | ms for ").append(n).append(" slices |\n|---|---|---|---|---|\n");
        for (Candidate c : candidates) {
            md.append(String.format(Locale.ROOT, "| %s%s | %d | %.2f | %.2f | %d |%n", c.sampler, c == chosen ? " (chosen)" : "", c.steps, c.histogram, c.feature, c.millis));
        }
        md.append('\n');
    }

    private static void quality(StringBuilder md, List<float[]> synthetic, List<float[]> heldOut, List<float[]> near, int size) {
        List<float[]> even = new ArrayList<>(), odd = new ArrayList<>();
        for (int i = 0; i < heldOut.size(); i++) {
            (i % 2 == 0 ? even : odd).add(heldOut.get(i));
        }
        md.append("## Quality at full resolution (256x256, 1 mm), against real slices\n\n");
        md.append("Synthetic: ").append(synthetic.size()).append(" independent samples at the held-out positions 80..99, through the super-resolution cascade. ")
                .append("Features: ").append("head area, 8-bin intensity histogram inside the head, 8-band radial log power spectrum, 4 gradient-magnitude quantiles (see GeneratorQuality).\n\n");
        md.append("| sets compared | histogram W1 (grey levels) | feature distance |\n|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| synthetic vs real held-out | %.2f | %.2f |%n", GeneratorQuality.histogramDistance(synthetic, heldOut), GeneratorQuality.featureDistance(synthetic, heldOut, size)));
        md.append(String.format(Locale.ROOT, "| real held-out, even vs odd slices (two halves of the real data) | %.2f | %.2f |%n", GeneratorQuality.histogramDistance(even, odd), GeneratorQuality.featureDistance(even, odd, size)));
        md.append(String.format(Locale.ROOT, "| real slices 12 mm either side of the margin vs real held-out | %.2f | %.2f |%n%n", GeneratorQuality.histogramDistance(near, heldOut), GeneratorQuality.featureDistance(near, heldOut, size)));
        md.append(String.format(Locale.ROOT, "Diversity, mean pairwise SSIM: synthetic %.4f, real held-out %.4f (lower = more varied).%n%n",
                GeneratorQuality.meanPairwiseSsim(synthetic, size), GeneratorQuality.meanPairwiseSsim(heldOut, size)));
    }

    static Path latestSnapshot(Path run) throws java.io.IOException {
        try (Stream<Path> s = Files.list(run.resolve("snapshots"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("generator-")).max(Path::compareTo)
                    .orElseThrow(() -> new IllegalArgumentException("no generator snapshot in " + run.resolve("snapshots")));
        }
    }

    private static void shipTo(Path dir, GeneratorConfig config, Path weights, String evaluation, PrintStream log) throws java.io.IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve("weights.params");
        Files.copy(weights, target, StandardCopyOption.REPLACE_EXISTING);
        config.withWeights("weights.params", PretrainedModel.sha256(target)).write(dir.resolve("config.json"));
        Files.writeString(dir.resolve("EVALUATION.md"), evaluation);
        log.println("shipped " + weights.getFileName() + " to " + dir + " (sampler " + config.sampling().sampler() + " "
                + config.sampling().steps() + " steps); write MODEL_CARD.md by hand");
    }
}
