package io.scanenhancer.training;

import io.scanenhancer.diffusion.Degradation;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * How {@link MriTrainingData} makes a pair: which degradation makes its input ({@code train --degradation}), the
 * fraction of pairs whose target is a {@link ContrastRandomisation} rendering of the tissue labels instead of the
 * real T1 ({@code --contrast-mix}), and the augmentation kinds applied ({@code --augment}).
 */
public record PairRecipe(DegradationMix degradation, double contrastMix, Set<Augmentation.Kind> augment) {
    /** v2's pairs: box degradation, the real T1 only, every augmentation. */
    public static final PairRecipe V2 = new PairRecipe(DegradationMix.AREA, 0, EnumSet.allOf(Augmentation.Kind.class));

    /** Which degradation each pair gets. */
    public enum DegradationMix {
        AREA, KSPACE, MIXED;

        /** The pair's degradation; only MIXED draws (one boolean), so AREA draws what v2 drew. */
        Degradation draw(Random random) {
            return switch (this) {
                case AREA -> Degradation.AREA;
                case KSPACE -> Degradation.KSPACE;
                case MIXED -> random.nextBoolean() ? Degradation.KSPACE : Degradation.AREA;
            };
        }

        public String option() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static DegradationMix parse(String s) {
            for (DegradationMix d : values()) {
                if (d.option().equals(s)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("--degradation must be area, kspace or mixed, not '" + s + "'");
        }
    }

    public PairRecipe {
        if (!(contrastMix >= 0 && contrastMix <= 1)) {
            throw new IllegalArgumentException("--contrast-mix must lie in 0..1, not " + contrastMix);
        }
        augment = Set.copyOf(augment.isEmpty() ? EnumSet.noneOf(Augmentation.Kind.class) : EnumSet.copyOf(augment));
    }

    /** Whether pairs need the tissue labels. */
    public boolean needsLabels() {
        return contrastMix > 0;
    }
}
