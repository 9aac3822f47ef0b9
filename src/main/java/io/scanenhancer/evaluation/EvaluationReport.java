package io.scanenhancer.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Markdown tables of {@link Evaluator.Score}s: one row per method (means over images), and per image for one method. */
public final class EvaluationReport {
    private EvaluationReport() {
    }

    public static String methodTable(List<Evaluator.Score> scores, boolean withBrain) {
        Map<String, List<Evaluator.Score>> byMethod = group(scores);
        Map<String, Double> bicubic = new LinkedHashMap<>();
        for (Evaluator.Score s : byMethod.getOrDefault("bicubic", List.of())) {
            bicubic.put(s.image(), s.psnr());
        }
        StringBuilder md = new StringBuilder();
        md.append("| method | PSNR dB | PSNR head dB |").append(withBrain ? " PSNR brain dB |" : "")
                .append(" SSIM | gain vs bicubic dB (mean) | worst image vs bicubic dB | LR-consistency RMSE % | ms per slice |\n");
        md.append("|---|---|---|").append(withBrain ? "---|" : "").append("---|---|---|---|---|\n");
        for (Map.Entry<String, List<Evaluator.Score>> e : byMethod.entrySet()) {
            List<Evaluator.Score> l = e.getValue();
            double worst = Double.POSITIVE_INFINITY, gain = 0;
            for (Evaluator.Score s : l) {
                double d = s.psnr() - bicubic.getOrDefault(s.image(), Double.NaN);
                gain += d;
                worst = Math.min(worst, d);
            }
            md.append(String.format("| %s | %.2f | %.2f |", e.getKey(), mean(l, Evaluator.Score::psnr), mean(l, Evaluator.Score::psnrHead)));
            if (withBrain) {
                md.append(String.format(" %.2f |", mean(l, Evaluator.Score::psnrBrain)));
            }
            md.append(String.format(" %.4f | %+.2f | %+.2f | %.3f | %.0f |%n", mean(l, Evaluator.Score::ssim), gain / l.size(), worst,
                    mean(l, Evaluator.Score::lrConsistencyPercent), mean(l, Evaluator.Score::millis)));
        }
        return md.toString();
    }

    public static String perImageTable(List<Evaluator.Score> scores, String method) {
        Map<String, Double> bicubic = new LinkedHashMap<>();
        for (Evaluator.Score s : scores) {
            if (s.method().equals("bicubic")) {
                bicubic.put(s.image(), s.psnr());
            }
        }
        StringBuilder md = new StringBuilder("| image | bicubic PSNR dB | " + method + " PSNR dB | gain dB | guard fell back |\n|---|---|---|---|---|\n");
        for (Evaluator.Score s : scores) {
            if (s.method().equals(method)) {
                double b = bicubic.getOrDefault(s.image(), Double.NaN);
                md.append(String.format("| %s | %.2f | %.2f | %+.2f | %s |%n", s.image(), b, s.psnr(), s.psnr() - b, s.fellBack() ? "yes" : "no"));
            }
        }
        return md.toString();
    }

    private static Map<String, List<Evaluator.Score>> group(List<Evaluator.Score> scores) {
        Map<String, List<Evaluator.Score>> m = new LinkedHashMap<>();
        for (Evaluator.Score s : scores) {
            m.computeIfAbsent(s.method(), k -> new ArrayList<>()).add(s);
        }
        return m;
    }

    private static double mean(List<Evaluator.Score> l, java.util.function.ToDoubleFunction<Evaluator.Score> f) {
        double s = 0;
        int n = 0;
        for (Evaluator.Score x : l) {
            double v = f.applyAsDouble(x);
            if (!Double.isNaN(v)) {
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
