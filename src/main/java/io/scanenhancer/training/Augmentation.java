package io.scanenhancer.training;

import io.scanenhancer.image.FloatImage;
import io.scanenhancer.image.GaussianFilter;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Makes the high-resolution image of a pair unlike the single T1 volume it comes from: dequantisation of the 8-bit
 * values, 90-degree rotations and flips, gamma, a smooth multiplicative bias field, occasional contrast inversion
 * (T2-like or MONOCHROME1-like). The jitter around the area degradation (blur before the box, noise after it) is
 * {@link PairDegradation}'s. Each kind can be switched off for the ablation ({@code train --augment}); a kind
 * switched off still draws its random numbers, so that the ablation rows' pair streams stay aligned (they part where
 * a rotation changes the crop range or an empty-patch retry differs), and v2's stream is the one with every kind on.
 */
public final class Augmentation {
    /** The kinds, by their {@code --augment} names. */
    public enum Kind {
        DEQUANTISE("dequantisation"), ROTATE("90-degree rotations"), FLIP("flips"), GAMMA("gamma exp(U(-0.4,0.4))"),
        BIAS("smooth quadratic bias field"), INVERT("20% contrast inversion"),
        BLUR("Gaussian blur sigma U(0,0.5) before the box in half the area pairs"),
        NOISE("additive noise up to 2% after the box in half the area pairs");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String option() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Augmentation() {
    }

    /** {@code all}, {@code none}, or a comma-separated list of kinds. */
    public static Set<Kind> parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("all")) {
            return EnumSet.allOf(Kind.class);
        }
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        if (s.equals("none")) {
            return kinds;
        }
        for (String part : s.split(",")) {
            String name = part.trim();
            Kind kind = null;
            for (Kind k : Kind.values()) {
                if (k.option().equals(name)) {
                    kind = k;
                }
            }
            if (kind == null) {
                throw new IllegalArgumentException("--augment: unknown kind '" + name + "' (all, none, or a list of "
                        + String.join(",", EnumSet.allOf(Kind.class).stream().map(Kind::option).toList()) + ")");
            }
            kinds.add(kind);
        }
        return kinds;
    }

    /** The canonical {@code --augment} value of a set: all, none, or the kinds in declaration order. */
    public static String option(Set<Kind> kinds) {
        if (kinds.size() == Kind.values().length) {
            return "all";
        }
        return kinds.isEmpty() ? "none" : String.join(",", kinds.stream().sorted().map(Kind::option).toList());
    }

    static String describe(Set<Kind> kinds) {
        List<String> parts = new ArrayList<>();
        kinds.stream().sorted().forEach(k -> parts.add(k.description));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /**
     * @param highRes        the augmented image, in about [0, 1] (the source divided by 255)
     * @param highResMax     its maximum
     * @param referenceLevel the source's reference level (white matter) after the same intensity changes, bias aside
     */
    record Result(FloatImage highRes, float highResMax, double referenceLevel) {
    }

    /**
     * @param pixels         height x width source values on a 0..255 scale; the last row and column are dropped where
     *                       the size is odd
     * @param referenceLevel the source's white-matter level on that scale (complex noise is set relative to it)
     */
    static Result apply(float[] pixels, int height, int width, double referenceLevel, java.util.Random random, Set<Kind> kinds) {
        int h = height & ~1, w = width & ~1;
        boolean dequantise = kinds.contains(Kind.DEQUANTISE);
        float[] px = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // dequantise: the volume holds integers 0..255; real data is continuous
                float v = pixels[y * width + x], u = random.nextFloat();
                px[y * w + x] = (dequantise ? v + u - 0.5f : v) / 255f;
            }
        }
        FloatImage img = orient(new FloatImage(h, w, px), random, kinds);
        h = img.height();
        w = img.width();
        px = img.pixels();

        double gamma = Math.exp((random.nextDouble() * 2 - 1) * 0.4);
        if (!kinds.contains(Kind.GAMMA)) {
            gamma = 1; // Math.pow(x, 1.0) is x exactly
        }
        double[] bias = new double[5];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (random.nextDouble() * 2 - 1) * 0.25;
        }
        boolean applyBias = kinds.contains(Kind.BIAS);
        boolean invert = random.nextDouble() < 0.2 && kinds.contains(Kind.INVERT);
        float max = 0;
        for (int y = 0; y < h; y++) {
            double v = 2.0 * y / (h - 1) - 1;
            for (int x = 0; x < w; x++) {
                double u = 2.0 * x / (w - 1) - 1;
                double value = Math.pow(Math.max(px[y * w + x], 0), gamma);
                if (applyBias) {
                    value *= Math.exp(bias[0] * u + bias[1] * v + bias[2] * u * v + bias[3] * u * u + bias[4] * v * v);
                }
                if (invert) {
                    value = 1.2 - value;
                }
                px[y * w + x] = (float) value;
                max = Math.max(max, (float) value);
            }
        }
        double reference = Math.pow(Math.max(referenceLevel / 255, 0), gamma);
        return new Result(new FloatImage(h, w, px), max, invert ? 1.2 - reference : reference);
    }

    private static FloatImage orient(FloatImage img, java.util.Random random, Set<Kind> kinds) {
        int turns = random.nextInt(4);
        for (int i = 0; kinds.contains(Kind.ROTATE) && i < turns; i++) {
            img = rotate90(img);
        }
        return random.nextBoolean() && kinds.contains(Kind.FLIP) ? flipHorizontal(img) : img;
    }

    private static FloatImage rotate90(FloatImage img) {
        int h = img.height(), w = img.width();
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[x * h + (h - 1 - y)] = img.pixels()[y * w + x];
            }
        }
        return new FloatImage(w, h, out);
    }

    private static FloatImage flipHorizontal(FloatImage img) {
        int h = img.height(), w = img.width();
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + (w - 1 - x)] = img.pixels()[y * w + x];
            }
        }
        return new FloatImage(h, w, out);
    }

    /** The image blurred by a Gaussian of {@code sigma} pixels ({@link GaussianFilter}); below 0.05 pixels, itself. */
    static FloatImage gaussianBlur(FloatImage img, double sigma) {
        if (sigma < 0.05) {
            return img;
        }
        return new FloatImage(img.height(), img.width(), GaussianFilter.blur(img.pixels(), img.height(), img.width(), sigma));
    }
}
