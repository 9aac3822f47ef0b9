package io.scanenhancer.evaluation;

import java.util.List;
import java.util.Locale;

/** The Markdown of the issue-20 protocol: summaries per method, per-image gains, uncertainty calibration. */
public final class ProtocolReport {
    private ProtocolReport() {
    }

    /** Mean / worst gain of every method on every set and input, each over its own baseline. */
    public static String summaryTable(List<DegradationProtocol.Row> rows, List<String> methods, List<ProtocolSets.ImageSet> sets,
                                      List<ProtocolInput> inputs) {
        StringBuilder md = new StringBuilder("| method | set | input | baseline | images | gain whole slice mean / worst dB "
                + "| gain inside head mean / worst dB | bicubic - zero-fill mean dB | guard fell back | ms per image |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        for (String m : methods) {
            for (ProtocolSets.ImageSet set : sets) {
                for (ProtocolInput input : inputs) {
                    DegradationProtocol.Summary s = DegradationProtocol.summarise(rows, m, set.name(), input);
                    if (s == null) {
                        continue;
                    }
                    md.append(f("| %s | %s | %s | %s | %d | %+.2f / %+.2f | %+.2f / %+.2f | %+.2f | %d/%d | %.0f |%n", m, set.name(),
                            input.label(), input.baselineName(), s.images(), s.meanWhole(), s.worstWhole(), s.meanHead(),
                            s.worstHead(), s.bicubicOverZeroFillWhole(), s.fellBack(), s.images(), s.millis()));
                }
            }
        }
        return md.toString();
    }

    /**
     * One row per image of a set: for each input the baseline's PSNR, the method's gain over it (whole / head), and
     * for kspace inputs bicubic's PSNR beside zero-filling.
     */
    public static String perImageTable(List<DegradationProtocol.Row> rows, String method, ProtocolSets.ImageSet set,
                                       List<ProtocolInput> inputs) {
        StringBuilder head = new StringBuilder("| image |"), rule = new StringBuilder("|---|");
        for (ProtocolInput input : inputs) {
            head.append(' ').append(input.label()).append(": ").append(input.baselineName()).append(" dB |");
            rule.append("---|");
            if (input != ProtocolInput.AREA) {
                head.append(' ').append(input.label()).append(": bicubic dB |");
                rule.append("---|");
            }
            head.append(' ').append(input.label()).append(": gain whole / head dB |");
            rule.append("---|");
        }
        StringBuilder md = new StringBuilder(head).append(" guard fell back |\n").append(rule).append("---|\n");
        for (ProtocolSets.Case c : set.cases()) {
            md.append("| ").append(c.name()).append(" |");
            StringBuilder fell = new StringBuilder();
            for (ProtocolInput input : inputs) {
                DegradationProtocol.Row r = rows.stream().filter(x -> x.method().equals(method) && x.set().equals(set.name())
                        && x.image().equals(c.name()) && x.input() == input).findFirst().orElseThrow();
                md.append(f(" %.2f |", r.baseline().whole()));
                if (input != ProtocolInput.AREA) {
                    md.append(f(" %.2f |", r.bicubic().whole()));
                }
                md.append(f(" %+.2f / %+.2f |", r.gain().whole(), r.gain().head()));
                if (r.fellBack()) {
                    fell.append(fell.length() == 0 ? "" : ", ").append(input.label());
                }
            }
            md.append(' ').append(fell.length() == 0 ? "no" : fell).append(" |\n");
        }
        return md.toString();
    }

    public static String calibrationSummary(UncertaintyCalibration.Result result) {
        StringBuilder md = new StringBuilder("| set | input | images | Spearman(sd, abs error) mean / worst "
                + "| ceiling: Spearman(local error size, abs error) mean | the same from the neighbours' error only | a spread fitted on the image itself (other half) | coverage of +-2 sd "
                + "| c for 95 % on this set | c of the validation sets | coverage of +-2 c sd with it "
                + "| noise floor f, c fitted on the validation sets | coverage of +-2 c (sd + f noise sd) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (UncertaintyCalibration.SetResult s : result.sets()) {
            md.append(f("| %s | %s | %d | %.3f / %.3f | %.3f | %.3f | %.3f | %.1f %% | %.2f | %.2f | %.1f %% | %s | %s |%n", s.set(), s.input().label(), s.images(),
                    s.meanSpearman(), s.worstSpearman(), s.meanCeiling(), s.meanNeighboursCeiling(), s.meanInImageFit(), 100 * s.coverage(), s.scale(), s.validationScale(),
                    100 * s.coverageAtValidation(),
                    s.fit() == null ? "-" : f("f %.2f, c %.4f (factors within %.2fx)", s.fit().floor(), s.fit().scale(), s.fit().worstRatio()),
                    s.fit() == null ? "-" : f("%.1f %%", 100 * s.coverageAtFit())));
        }
        return md.toString();
    }

    public static String calibrationPerImage(UncertaintyCalibration.Result result) {
        StringBuilder md = new StringBuilder("| set | image | input | Spearman(sd, abs error) | ceiling | neighbours' ceiling | fitted on the image | coverage of +-2 sd | c for 95 % |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (UncertaintyCalibration.ImageResult r : result.images()) {
            md.append(f("| %s | %s | %s | %.3f | %.3f | %.3f | %.3f | %.1f %% | %.2f |%n", r.set(), r.image(), r.input().label(), r.spearman(),
                    r.ceiling(), r.neighboursCeiling(), r.inImageFit(), 100 * r.coverage(), r.scale()));
        }
        return md.toString();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
