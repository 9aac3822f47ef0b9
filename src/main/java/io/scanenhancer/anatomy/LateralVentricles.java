package io.scanenhancer.anatomy;

/**
 * The lateral ventricles of ch2, found in its labels: for each hemisphere, the CSF 6-connected to the CSF of a box
 * around the ventricle's body (MNI x 3..25 mm from the midline, y -30..10, z 8..28), kept within a larger box
 * (|x| < 35, y -60..40, z -15..40) so that the flood does not run out through the choroid fissure into the sulci.
 * The mask (both sides) is what {@link RandomAnatomy} enlarges; each side is summarised by its centroid, standard
 * deviation along each axis (world mm) and volume.
 */
public record LateralVentricles(Ventricle left, Ventricle right, boolean[] mask) {

    /** Centroid and per-axis standard deviation (world mm, the label grid's sform) and volume (ml). */
    public record Ventricle(double[] centre, double[] sd, double millilitres) {
    }

    static final double[] BODY_X = {3, 25}, BODY_Y = {-30, 10}, BODY_Z = {8, 28};
    static final double[] LIMIT_X = {0, 35}, LIMIT_Y = {-60, 40}, LIMIT_Z = {-15, 40};

    public static LateralVentricles of(LabelVolume labels) {
        boolean[] left = mask(labels, -1), right = mask(labels, 1), both = new boolean[left.length];
        for (int p = 0; p < both.length; p++) {
            both[p] = left[p] || right[p];
        }
        return new LateralVentricles(summary(labels, left), summary(labels, right), both);
    }

    /** Millilitres of both sides together (the two floods share the midline plane of the third ventricle). */
    public double millilitres(double voxelMl) {
        long n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n * voxelMl;
    }

    /** side -1: the subject's left (negative MNI x), +1: right. */
    static boolean[] mask(LabelVolume labels, int side) {
        int nx = labels.nx(), ny = labels.ny(), nz = labels.nz();
        double[] s = labels.grid().srow();
        boolean[] allowed = new boolean[nx * ny * nz], seeds = new boolean[allowed.length];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    int p = i + nx * (j + ny * k);
                    if (labels.labels()[p] != TissueLabel.CSF.value()) {
                        continue;
                    }
                    double x = side * (s[0] * i + s[1] * j + s[2] * k + s[3]);
                    double y = s[4] * i + s[5] * j + s[6] * k + s[7];
                    double z = s[8] * i + s[9] * j + s[10] * k + s[11];
                    allowed[p] = in(x, LIMIT_X) && in(y, LIMIT_Y) && in(z, LIMIT_Z);
                    seeds[p] = in(x, BODY_X) && in(y, BODY_Y) && in(z, BODY_Z);
                }
            }
        }
        return BinaryMasks.connectedTo(allowed, seeds, nx, ny, nz);
    }

    static Ventricle summary(LabelVolume labels, boolean[] ventricle) {
        int nx = labels.nx(), ny = labels.ny(), nz = labels.nz();
        double[] s = labels.grid().srow();
        double[] sum = new double[3], sq = new double[3];
        long n = 0;
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    if (!ventricle[i + nx * (j + ny * k)]) {
                        continue;
                    }
                    for (int a = 0; a < 3; a++) {
                        double w = s[4 * a] * i + s[4 * a + 1] * j + s[4 * a + 2] * k + s[4 * a + 3];
                        sum[a] += w;
                        sq[a] += w * w;
                    }
                    n++;
                }
            }
        }
        if (n == 0) {
            throw new IllegalStateException("no lateral ventricle CSF found");
        }
        double[] centre = new double[3], sd = new double[3];
        for (int a = 0; a < 3; a++) {
            centre[a] = sum[a] / n;
            sd[a] = Math.sqrt(Math.max(0, sq[a] / n - centre[a] * centre[a]));
        }
        double voxelMl = labels.grid().dx() * labels.grid().dy() * labels.grid().dz() / 1000.0;
        return new Ventricle(centre, sd, n * voxelMl);
    }

    private static boolean in(double v, double[] range) {
        return v >= range[0] && v <= range[1];
    }
}
