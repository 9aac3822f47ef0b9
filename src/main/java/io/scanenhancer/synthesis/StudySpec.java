package io.scanenhancer.synthesis;

import java.util.Locale;

/**
 * What a caller asks for: exactly {@code count} axial slices {@code spacingMm} apart (centre to centre; also the
 * slice thickness), drawn from {@code seed}, rendered by {@code renderer} (null: {@link Renderer#DEFAULT}). Whatever
 * cannot be honoured is refused with the reason, here for what any head refuses and in {@link SlabPlan} for what this
 * seed's head refuses; nothing is clipped or ignored.
 *
 * @param spacingMm null: {@value #DEFAULT_SPACING_MM} mm, or less so that the slab is at most {@value #DEFAULT_MAX_SLAB_MM} mm
 */
public record StudySpec(int count, Double spacingMm, long seed, Renderer renderer) {
    public static final int MIN_COUNT = 1, MAX_COUNT = 512;
    public static final double MIN_SPACING_MM = 0.5, MAX_SPACING_MM = 10;
    /** About the height of a head (ch2's is 172 mm from the cut below the chin to the vertex): no slab is longer. */
    public static final double MAX_SLAB_MM = 180;
    public static final double DEFAULT_SPACING_MM = 4, DEFAULT_MAX_SLAB_MM = 140;

    /** What renders the slices. */
    public enum Renderer {
        /** Deformed label volumes rendered slice by slice by the physics stand-in, with paired segmentation: the fast option. */
        LABELS,
        /** Deformed label volumes rendered slice by slice by the trained diffusion renderer, with paired segmentation. */
        DIFFUSION,
        /** The position-conditioned slice generator and super-resolution cascade: images only, no labels. */
        GENERATOR;

        /**
         * What a request that names no renderer gets, on every path (CLI, Kafka): the trained renderer, because the
         * stand-in copies ch2's own texture and so is no evidence of anything learned; it costs about 1.4 s a slice on 2 cores.
         */
        public static final Renderer DEFAULT = DIFFUSION;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Renderer of(String id) {
            for (Renderer r : values()) {
                if (r.id().equals(id)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown renderer '" + id + "' (known: labels, diffusion, generator)");
        }
    }

    public StudySpec {
        String reason = refusal(count, spacingMm);
        if (reason != null) {
            throw new IllegalArgumentException(reason);
        }
        if (renderer == null) {
            renderer = Renderer.DEFAULT;
        }
    }

    /** Why a count and spacing cannot make a study of any head, or null if they can. */
    public static String refusal(int count, Double spacingMm) {
        if (count < MIN_COUNT || count > MAX_COUNT) {
            return "count must be between " + MIN_COUNT + " and " + MAX_COUNT + ", got " + count;
        }
        if (spacingMm == null) {
            return null;
        }
        if (!(spacingMm >= MIN_SPACING_MM && spacingMm <= MAX_SPACING_MM)) {
            return "spacing must be between " + fmt(MIN_SPACING_MM) + " and " + fmt(MAX_SPACING_MM) + " mm, got " + spacingMm;
        }
        double slab = count * spacingMm;
        if (slab > MAX_SLAB_MM + 1e-9) {
            return count + " slices x " + fmt(spacingMm) + " mm = " + fmt(slab) + " mm is longer than a head (at most "
                    + fmt(MAX_SLAB_MM) + " mm): ask for fewer slices or a smaller spacing";
        }
        return null;
    }

    /** The spacing in effect: as asked, or the default. */
    public double spacing() {
        return spacingMm != null ? spacingMm : Math.min(DEFAULT_SPACING_MM, DEFAULT_MAX_SLAB_MM / count);
    }

    /** Length of the slab: count x spacing (each slice spacing thick). */
    public double slabMm() {
        return count * spacing();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v).replaceAll("\\.0$", "");
    }
}
