package io.scanenhancer.synthesis;

/**
 * {@link MemorisationAudit#maxCorrelation} made fast for one image against many: each image is prepared once (its
 * left-right mirror and summed-area tables of values and squares), so that the means and variances over any overlap
 * cost four look-ups and only the cross term is summed pixel by pixel, row by row over contiguous memory.
 */
final class ShiftedCorrelation {
    final int size;
    final float[] pixels, mirrored;
    final double[] sum, squares, mirroredSum, mirroredSquares;

    ShiftedCorrelation(float[] image, int size) {
        if (image.length != size * size) {
            throw new IllegalArgumentException("image of " + image.length + " values, expected " + size + "x" + size);
        }
        this.size = size;
        this.pixels = image.clone();
        this.mirrored = new float[image.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                mirrored[y * size + x] = image[y * size + size - 1 - x];
            }
        }
        this.sum = table(pixels, size, false);
        this.squares = table(pixels, size, true);
        this.mirroredSum = table(mirrored, size, false);
        this.mirroredSquares = table(mirrored, size, true);
    }

    /** (size+1)^2 summed-area table: t[(y)(size+1) + x] = sum over rows < y, columns < x. */
    private static double[] table(float[] img, int size, boolean squared) {
        int w = size + 1;
        double[] t = new double[w * w];
        for (int y = 0; y < size; y++) {
            double row = 0;
            for (int x = 0; x < size; x++) {
                double v = img[y * size + x];
                row += squared ? v * v : v;
                t[(y + 1) * w + x + 1] = t[y * w + x + 1] + row;
            }
        }
        return t;
    }

    private double area(double[] t, int y0, int y1, int x0, int x1) {
        int w = size + 1;
        return t[y1 * w + x1] - t[y0 * w + x1] - t[y1 * w + x0] + t[y0 * w + x0];
    }

    /** max over shifts of up to {@code maxShift} pixels and a mirror of {@code b} of the Pearson correlation. */
    double max(ShiftedCorrelation b, int maxShift) {
        double best = -2;
        for (int mirror = 0; mirror < 2; mirror++) {
            float[] bp = mirror == 1 ? b.mirrored : b.pixels;
            double[] bs = mirror == 1 ? b.mirroredSum : b.sum, bq = mirror == 1 ? b.mirroredSquares : b.squares;
            for (int dy = -maxShift; dy <= maxShift; dy++) {
                for (int dx = -maxShift; dx <= maxShift; dx++) {
                    int y0 = Math.max(0, dy), y1 = Math.min(size, size + dy), x0 = Math.max(0, dx), x1 = Math.min(size, size + dx);
                    int n = (y1 - y0) * (x1 - x0);
                    double sa = area(sum, y0, y1, x0, x1), saa = area(squares, y0, y1, x0, x1);
                    double sb = area(bs, y0 - dy, y1 - dy, x0 - dx, x1 - dx), sbb = area(bq, y0 - dy, y1 - dy, x0 - dx, x1 - dx);
                    double sab = 0;
                    for (int y = y0; y < y1; y++) {
                        int ai = y * size, bi = (y - dy) * size - dx;
                        for (int x = x0; x < x1; x++) {
                            sab += pixels[ai + x] * (double) bp[bi + x];
                        }
                    }
                    double cov = sab - sa * sb / n, va = saa - sa * sa / n, vb = sbb - sb * sb / n;
                    best = Math.max(best, va <= 0 || vb <= 0 ? 0 : cov / Math.sqrt(va * vb));
                }
            }
        }
        return best;
    }
}
