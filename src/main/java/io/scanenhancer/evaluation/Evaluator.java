package io.scanenhancer.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs every method on every case, one image at a time (so the timing is per slice), and keeps the scores. */
public final class Evaluator {

    public record Score(String method, String image, double psnr, double psnrHead, double psnrBrain, double ssim,
                        double lrConsistencyPercent, double millis, boolean fellBack) {
    }

    /** Outputs kept for the comparison sheet, by method name, for the case named {@code keepFor}. */
    private final Map<String, MethodUnderTest.Output> kept = new LinkedHashMap<>();

    public List<Score> run(List<MethodUnderTest> methods, List<EvaluationCase> cases, String setName, String keepFor) {
        List<Score> scores = new ArrayList<>();
        int total = methods.size() * cases.size(), done = 0;
        long start = System.nanoTime();
        for (MethodUnderTest m : methods) {
            for (EvaluationCase c : cases) {
                long t = System.nanoTime();
                MethodUnderTest.Output out = m.run().apply(c.input());
                double ms = (System.nanoTime() - t) / 1e6;
                scores.add(new Score(m.name(), c.name(),
                        ImageMetrics.psnr(out.image(), c.truth(), null, c.dataRange()),
                        c.headMask() == null ? Double.NaN : ImageMetrics.psnr(out.image(), c.truth(), c.headMask(), c.dataRange()),
                        c.brainMask() == null ? Double.NaN : ImageMetrics.psnr(out.image(), c.truth(), c.brainMask(), c.dataRange()),
                        ImageMetrics.ssim(out.image(), c.truth(), c.dataRange()),
                        ImageMetrics.lrConsistencyPercent(out.image(), c.input(), c.dataRange()),
                        ms, out.fellBack()));
                if (c.name().equals(keepFor)) {
                    kept.put(m.name(), out);
                }
                done++;
                double elapsed = (System.nanoTime() - start) / 1e9;
                System.out.printf("  [%s %d/%d] %-40s %-45s %6.0f ms  ETA %.0f s%n", setName, done, total, m.name(), c.name(), ms,
                        elapsed / done * (total - done));
            }
        }
        return scores;
    }

    public Map<String, MethodUnderTest.Output> kept() {
        return kept;
    }
}
