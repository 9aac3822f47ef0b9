package io.scanenhancer.evaluation;

import io.scanenhancer.image.FloatImage;
import io.scanenhancer.image.GaussianFilter;
import io.scanenhancer.image.GradientMagnitude;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

import java.util.stream.IntStream;

/**
 * How well a spread made from the same maps could rank an image's error if it were fitted on that very image: a
 * ridge regression of log |error| on the logs of a few maps (the spread itself, the output's gradient magnitude and
 * local standard deviation, its departure from the classical baseline, its intensity), fitted on half the image's
 * pixels (8 x 8 blocks, a checkerboard) and scored by Spearman on the other half, both ways round. Fitting on the
 * image under test favours the fit, so where even it ranks the error poorly, the maps hold no more of the ranking.
 */
final class InImageFit {
    static final int BLOCK = 8;
    /** Ridge penalty on standardised features, per fitted pixel: enough to keep collinear maps from blowing up. */
    static final double RIDGE = 1e-3;

    private InImageFit() {
    }

    /** Mean of the two halves' Spearman(fitted, |output - truth|); NaN with too few pixels on either half. */
    static double spearman(FloatImage output, FloatImage baseline, FloatImage spread, FloatImage truth, boolean[] head) {
        int w = output.width();
        double eps = 1e-3 * percentile99(output, head);
        double[][] x = features(output, baseline, spread, head, eps);
        double[] y = new double[x.length];
        boolean[] black = new boolean[x.length];
        for (int i = 0, j = 0; i < head.length; i++) {
            if (head[i]) {
                y[j] = Math.log(Math.abs(output.pixels()[i] - truth.pixels()[i]) + eps);
                black[j++] = ((i / w) / BLOCK + (i % w) / BLOCK) % 2 == 0;
            }
        }
        double a = fitAndScore(x, y, black, true), b = fitAndScore(x, y, black, false);
        return (a + b) / 2;
    }

    static double fitAndScore(double[][] x, double[] y, boolean[] black, boolean fitOnBlack) {
        int p = x.length == 0 ? 0 : x[0].length, nFit = 0;
        for (boolean b : black) {
            nFit += b == fitOnBlack ? 1 : 0;
        }
        if (nFit < 4 * p || x.length - nFit < 4 * p) {
            return Double.NaN;
        }
        double[] mean = new double[p], sd = new double[p];
        double yMean = 0;
        for (int i = 0; i < x.length; i++) {
            if (black[i] == fitOnBlack) {
                yMean += y[i] / nFit;
                for (int k = 0; k < p; k++) {
                    mean[k] += x[i][k] / nFit;
                }
            }
        }
        for (int i = 0; i < x.length; i++) {
            if (black[i] == fitOnBlack) {
                for (int k = 0; k < p; k++) {
                    sd[k] += (x[i][k] - mean[k]) * (x[i][k] - mean[k]) / nFit;
                }
            }
        }
        for (int k = 0; k < p; k++) {
            sd[k] = Math.sqrt(sd[k]) + 1e-12;
        }
        double[][] gram = new double[p][p];
        double[] rhs = new double[p];
        for (int i = 0; i < x.length; i++) {
            if (black[i] != fitOnBlack) {
                continue;
            }
            for (int k = 0; k < p; k++) {
                double zk = (x[i][k] - mean[k]) / sd[k];
                rhs[k] += zk * (y[i] - yMean);
                for (int l = 0; l <= k; l++) {
                    gram[k][l] += zk * (x[i][l] - mean[l]) / sd[l];
                }
            }
        }
        for (int k = 0; k < p; k++) {
            gram[k][k] += RIDGE * nFit;
            for (int l = 0; l < k; l++) {
                gram[l][k] = gram[k][l];
            }
        }
        RealMatrix g = new Array2DRowRealMatrix(gram, false);
        double[] beta = new CholeskyDecomposition(g).getSolver().solve(new ArrayRealVector(rhs, false)).toArray();
        int nTest = x.length - nFit, j = 0;
        double[] predicted = new double[nTest], error = new double[nTest];
        for (int i = 0; i < x.length; i++) {
            if (black[i] != fitOnBlack) {
                double s = 0;
                for (int k = 0; k < p; k++) {
                    s += beta[k] * (x[i][k] - mean[k]) / sd[k];
                }
                predicted[j] = s;
                error[j++] = y[i];
            }
        }
        return CalibrationStatistics.spearman(predicted, error);
    }

    /**
     * Per head pixel, log(eps + each of): the spread, gradient (sigma 1, 2), local sd (sigma 2), departure (sigma 1, 2),
     * |output|.
     */
    static double[][] features(FloatImage output, FloatImage baseline, FloatImage spread, boolean[] head, double eps) {
        int h = output.height(), w = output.width();
        float[] o = output.pixels();
        float[] gradient = GradientMagnitude.of(o, h, w);
        float[] departure = new float[o.length], squares = new float[o.length];
        for (int i = 0; i < o.length; i++) {
            departure[i] = Math.abs(o[i] - baseline.pixels()[i]);
            squares[i] = o[i] * o[i];
        }
        float[] localMean = GaussianFilter.blur(o, h, w, 2), localSd = GaussianFilter.blur(squares, h, w, 2);
        for (int i = 0; i < o.length; i++) {
            localSd[i] = (float) Math.sqrt(Math.max(0, localSd[i] - localMean[i] * localMean[i]));
        }
        float[][] maps = {spread.pixels(), GaussianFilter.blur(gradient, h, w, 1), GaussianFilter.blur(gradient, h, w, 2),
                localSd, GaussianFilter.blur(departure, h, w, 1), GaussianFilter.blur(departure, h, w, 2), o};
        int n = 0;
        for (boolean b : head) {
            n += b ? 1 : 0;
        }
        double[][] x = new double[n][maps.length];
        for (int i = 0, j = 0; i < head.length; i++) {
            if (head[i]) {
                for (int k = 0; k < maps.length; k++) {
                    x[j][k] = Math.log(Math.abs(maps[k][i]) + eps);
                }
                j++;
            }
        }
        return x;
    }

    private static double percentile99(FloatImage image, boolean[] head) {
        double[] inside = IntStream.range(0, head.length).filter(i -> head[i]).mapToDouble(i -> Math.abs(image.pixels()[i]))
                .sorted().toArray();
        return inside.length == 0 ? 1 : Math.max(1e-12, inside[(int) Math.round(0.99 * (inside.length - 1))]);
    }
}
