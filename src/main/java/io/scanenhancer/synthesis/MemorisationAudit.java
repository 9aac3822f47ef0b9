package io.scanenhancer.synthesis;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds, for each synthetic slice, the training slice it is most like, so that copies of training data are not
 * published as synthetic. Both are compared at the generator's resolution (the super-resolution stages only add
 * detail) and in the same normalisation: the Pearson correlation (normalised cross-correlation, NCC) of the two
 * images, maximised over shifts of up to {@link #MAX_SHIFT} pixels each way and a left-right mirror, because
 * training saw shifted and mirrored slices. The reported distance is 1 - NCC; a slice whose distance is at most
 * the threshold is rejected.
 */
public final class MemorisationAudit {
    static final int MAX_SHIFT = 2;

    private final List<ShiftedCorrelation> training;
    private final int[] trainingIndices;
    private final int size;
    private final double threshold;
    private final String metric;

    /**
     * @param training        training slices, size x size, in the generator's normalisation
     * @param trainingIndices each training slice's axial index (for the report)
     * @param threshold       distances at or below this are rejected
     */
    public MemorisationAudit(List<float[]> training, int[] trainingIndices, int size, double threshold) {
        this(training, trainingIndices, size, threshold, METRIC);
    }

    /** @param metric how the distance was measured and against what, in words (the report carries it) */
    public MemorisationAudit(List<float[]> training, int[] trainingIndices, int size, double threshold, String metric) {
        if (training.isEmpty() || training.size() != trainingIndices.length) {
            throw new IllegalArgumentException("the audit needs the training slices and their indices");
        }
        if (!(threshold >= 0 && threshold < 1)) {
            throw new IllegalArgumentException("the memorisation threshold is a distance 1 - NCC in [0, 1), got " + threshold);
        }
        this.training = training.stream().map(t -> new ShiftedCorrelation(t, size)).toList();
        this.trainingIndices = trainingIndices;
        this.size = size;
        this.threshold = threshold;
        this.metric = metric;
    }

    private MemorisationAudit(MemorisationAudit prepared, double threshold) {
        this.training = prepared.training;
        this.trainingIndices = prepared.trainingIndices;
        this.size = prepared.size;
        this.threshold = threshold;
        this.metric = prepared.metric;
    }

    /** The same references (already prepared) with another threshold. */
    public MemorisationAudit withThreshold(double threshold) {
        if (!(threshold >= 0 && threshold < 1)) {
            throw new IllegalArgumentException("the memorisation threshold is a distance 1 - NCC in [0, 1), got " + threshold);
        }
        return new MemorisationAudit(this, threshold);
    }

    public double threshold() {
        return threshold;
    }

    public String metric() {
        return metric;
    }

    public int trainingSlices() {
        return training.size();
    }

    /** One synthetic slice's nearest training slice. */
    public record Match(int slice, int nearestTrainingSlice, double distance, boolean rejected) {
    }

    public record Report(String metric, double threshold, int trainingSlices, List<Match> matches) {
        public int rejected() {
            return (int) matches.stream().filter(Match::rejected).count();
        }

        public double closestDistance() {
            return matches.stream().mapToDouble(Match::distance).min().orElse(Double.NaN);
        }

        public double medianDistance() {
            double[] d = matches.stream().mapToDouble(Match::distance).sorted().toArray();
            return d.length == 0 ? Double.NaN : d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
        }
    }

    public static final String METRIC = "1 - max NCC over shifts of up to 2 pixels (8 mm) and a left-right mirror, at the generator's 64x64";

    public Report audit(List<float[]> synthetic) {
        List<Match> matches = new ArrayList<>(synthetic.size());
        for (int s = 0; s < synthetic.size(); s++) {
            Match m = match(synthetic.get(s));
            matches.add(new Match(s, m.nearestTrainingSlice(), m.distance(), m.rejected()));
        }
        return new Report(metric, threshold, training.size(), matches);
    }

    /** One slice against every training slice (its {@code slice} field is 0). */
    public Match match(float[] synthetic) {
        ShiftedCorrelation a = new ShiftedCorrelation(synthetic, size);
        double best = -2;
        int bestIndex = -1;
        for (int t = 0; t < training.size(); t++) {
            double ncc = a.max(training.get(t), MAX_SHIFT);
            if (ncc > best) {
                best = ncc;
                bestIndex = trainingIndices[t];
            }
        }
        double distance = 1 - best;
        return new Match(0, bestIndex, distance, distance <= threshold);
    }

    /** max over shifts (and a mirror of b) of the Pearson correlation over the overlap. */
    public static double maxCorrelation(float[] a, float[] b, int size) {
        double best = -2;
        for (int mirror = 0; mirror < 2; mirror++) {
            for (int dy = -MAX_SHIFT; dy <= MAX_SHIFT; dy++) {
                for (int dx = -MAX_SHIFT; dx <= MAX_SHIFT; dx++) {
                    best = Math.max(best, correlation(a, b, size, dy, dx, mirror == 1));
                }
            }
        }
        return best;
    }

    static double correlation(float[] a, float[] b, int size, int dy, int dx, boolean mirror) {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = 0;
        for (int y = Math.max(0, dy); y < Math.min(size, size + dy); y++) {
            for (int x = Math.max(0, dx); x < Math.min(size, size + dx); x++) {
                int bx = x - dx;
                double va = a[y * size + x];
                double vb = b[(y - dy) * size + (mirror ? size - 1 - bx : bx)];
                sa += va;
                sb += vb;
                saa += va * va;
                sbb += vb * vb;
                sab += va * vb;
                n++;
            }
        }
        double cov = sab - sa * sb / n, va = saa - sa * sa / n, vb = sbb - sb * sb / n;
        return va <= 0 || vb <= 0 ? 0 : cov / Math.sqrt(va * vb);
    }
}
