package io.scanenhancer.evaluation;

import io.scanenhancer.enhance.Bicubic;
import io.scanenhancer.enhance.KspaceDegradation;
import io.scanenhancer.image.FloatImage;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores a method on every image of every set for every {@link ProtocolInput}, each against its own classical
 * baseline (bicubic for area, zero-filling for kspace), with the other classical interpolation measured beside it.
 * Deterministic: the noise of an image depends only on the seed, the set and the image's name.
 */
public final class DegradationProtocol {

    /** A way of making the 2x image, told which degradation made its input (a model may ignore it). */
    public interface Upscaler {
        MethodUnderTest.Output upscale(FloatImage lowResolution, String degradation);
    }

    /** A named method under the protocol. */
    public record Method(String name, Upscaler upscaler) {
    }

    /** PSNR over the whole slice and inside the head, dB. */
    public record Psnr(double whole, double head) {
        static Psnr of(FloatImage estimate, ProtocolSets.Case c) {
            return new Psnr(ImageMetrics.psnr(estimate, c.truth(), null, c.dataRange()),
                    ImageMetrics.psnr(estimate, c.truth(), c.head(), c.dataRange()));
        }

        Psnr minus(Psnr other) {
            return new Psnr(whole - other.whole, head - other.head);
        }
    }

    /** One method on one image for one kind of input. */
    public record Row(String method, String set, String image, ProtocolInput input, Psnr result, Psnr bicubic,
                      Psnr zeroFill, boolean fellBack, double millis) {
        public Psnr baseline() {
            return input == ProtocolInput.AREA ? bicubic : zeroFill;
        }

        /** The method's gain over this input's own baseline. */
        public Psnr gain() {
            return result.minus(baseline());
        }
    }

    private DegradationProtocol() {
    }

    /** The noise seed of one image: the same for every method, so methods see identical inputs. */
    public static long noiseSeed(long seed, String set, String image) {
        return seed * 1_000_003L + (set + "/" + image).hashCode();
    }

    /** The input of {@code c} for {@code input}, as every method and baseline of the protocol sees it. */
    public static FloatImage inputFor(ProtocolInput input, ProtocolSets.ImageSet set, ProtocolSets.Case c, long seed) {
        double sigma = input == ProtocolInput.KSPACE_NOISY ? ProtocolInput.noiseSigma(c.truth(), c.head()) : 0;
        return input.degrade(c.truth(), sigma, noiseSeed(seed, set.name(), c.name()));
    }

    public static List<Row> run(List<ProtocolSets.ImageSet> sets, List<ProtocolInput> inputs, List<Method> methods, long seed,
                                PrintStream log) {
        List<Row> rows = new ArrayList<>();
        int total = methods.size() * inputs.size() * sets.stream().mapToInt(s -> s.cases().size()).sum(), done = 0;
        long start = System.nanoTime();
        for (ProtocolSets.ImageSet set : sets) {
            for (ProtocolSets.Case c : set.cases()) {
                for (ProtocolInput input : inputs) {
                    FloatImage lr = inputFor(input, set, c, seed);
                    Psnr bicubic = Psnr.of(Bicubic.upscale(lr, 2), c);
                    Psnr zeroFill = Psnr.of(KspaceDegradation.zeroFill(lr, 2), c);
                    for (Method m : methods) {
                        long t = System.nanoTime();
                        MethodUnderTest.Output out = m.upscaler().upscale(lr, input.degradation());
                        double ms = (System.nanoTime() - t) / 1e6;
                        rows.add(new Row(m.name(), set.name(), c.name(), input, Psnr.of(out.image(), c), bicubic, zeroFill,
                                out.fellBack(), ms));
                        done++;
                    }
                }
                if (log != null) {
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    log.printf("  [protocol %d/%d] %s / %s  ETA %.0f s%n", done, total, set.name(), c.name(),
                            elapsed / done * (total - done));
                }
            }
        }
        return rows;
    }

    /** Mean and worst of a list of gains. */
    public record Summary(int images, double meanWhole, double worstWhole, double meanHead, double worstHead,
                          double bicubicOverZeroFillWhole, int fellBack, double millis) {
    }

    /** Summary of the rows of one method, set and input. */
    public static Summary summarise(List<Row> rows, String method, String set, ProtocolInput input) {
        List<Row> r = rows.stream().filter(x -> x.method().equals(method) && x.set().equals(set) && x.input() == input).toList();
        if (r.isEmpty()) {
            return null;
        }
        double mw = 0, ww = Double.POSITIVE_INFINITY, mh = 0, wh = Double.POSITIVE_INFINITY, bz = 0, ms = 0;
        int fell = 0;
        for (Row x : r) {
            Psnr g = x.gain();
            mw += g.whole();
            mh += g.head();
            ww = Math.min(ww, g.whole());
            wh = Math.min(wh, g.head());
            bz += x.bicubic().whole() - x.zeroFill().whole();
            ms += x.millis();
            fell += x.fellBack() ? 1 : 0;
        }
        int n = r.size();
        return new Summary(n, mw / n, ww, mh / n, wh, bz / n, fell, ms / n);
    }
}
