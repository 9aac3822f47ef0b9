package io.scanenhancer.training;

import io.scanenhancer.diffusion.Formulation;
import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.PixelLoss;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The v3 options of {@code ./enhancer train} together: how pairs are made ({@link PairRecipe}), the pixel loss, and
 * the network's {@link Formulation}. Recorded in the run's config.json (the options under training.details
 * {@value #DETAILS_KEY}, the formulation as its own field, which is what loading a model reads), and a resume keeps
 * what was recorded: an option given again with another value is refused.
 */
public record TrainingRecipe(PairRecipe pairs, PixelLoss loss, Formulation formulation) {
    public static final String DETAILS_KEY = "trainOptions";
    /** v2's recipe: what a config without {@value #DETAILS_KEY} was trained with. */
    public static final TrainingRecipe V2 = new TrainingRecipe(PairRecipe.V2, PixelLoss.L2, Formulation.V2);

    /** The recipe as {@code train} options (name -> canonical value), in declaration order. */
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("degradation", pairs.degradation().option());
        o.put("degradation-conditioning", lower(formulation.degradationConditioning()));
        o.put("contrast-mix", Double.toString(pairs.contrastMix()));
        o.put("augment", Augmentation.option(pairs.augment()));
        o.put("loss", lower(loss));
        o.put("target", lower(formulation.target()));
        return o;
    }

    /** Parses the options (each value as {@link #options()} writes it, or as given on the command line). */
    public static TrainingRecipe of(Map<String, String> options) {
        PairRecipe pairs = new PairRecipe(PairRecipe.DegradationMix.parse(options.get("degradation")),
                Double.parseDouble(options.get("contrast-mix")), Augmentation.parse(options.get("augment")));
        Formulation f = new Formulation(
                parse(Formulation.DegradationConditioning.class, "degradation-conditioning", options.get("degradation-conditioning")),
                parse(Formulation.Target.class, "target", options.get("target")));
        return new TrainingRecipe(pairs, parse(PixelLoss.class, "loss", options.get("loss")), f);
    }

    /** The recipe a run's config records; v2's where it records none. */
    @SuppressWarnings("unchecked")
    public static TrainingRecipe recorded(ModelConfig config) {
        Object o = config.training() == null ? null : config.training().details().get(DETAILS_KEY);
        if (!(o instanceof Map<?, ?> m)) {
            return V2;
        }
        Map<String, String> options = new LinkedHashMap<>(V2.options());
        ((Map<String, Object>) m).forEach((k, v) -> options.put(k, String.valueOf(v)));
        return of(options);
    }

    /**
     * This (recorded) recipe, checked against the one of a resuming command line: an option the user gave with
     * another value than recorded is refused, the others take the recorded value.
     */
    public TrainingRecipe resumedWith(TrainingRecipe requested, Predicate<String> given) {
        Map<String, String> mine = options(), theirs = requested.options();
        for (Map.Entry<String, String> e : theirs.entrySet()) {
            if (given.test(e.getKey()) && !e.getValue().equals(mine.get(e.getKey()))) {
                throw new IllegalArgumentException("--" + e.getKey() + " " + e.getValue() + ": this run folder was started with --"
                        + e.getKey() + " " + mine.get(e.getKey()) + " (config.json), and a resume keeps its recipe; use another --out");
            }
        }
        return this;
    }

    /** What the config's training details say about the pairs (human-readable, beside the options). */
    Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(DETAILS_KEY, options());
        d.put("augmentation", Augmentation.describe(pairs.augment()));
        d.put("degradationDetails", switch (pairs.degradation()) {
            case AREA -> "2x2 box average; baseline bicubic";
            case KSPACE -> KSPACE_DETAILS;
            case MIXED -> "half the pairs each: 2x2 box average (baseline bicubic) or " + KSPACE_DETAILS;
        });
        if (pairs.contrastMix() > 0) {
            d.put("contrastRandomisation", pairs.contrastMix() + " of the pairs: target rendered from models/ch2-tissue-labels"
                    + " (training region only) with random tissue intensities, bias, blur and Rician noise (ContrastRandomisation)");
        }
        return d;
    }

    static final String KSPACE_DETAILS = "central half of k-space (KspaceDegradation), filter none / Hamming / Tukey U(0.2,0.8)"
            + " / Fermi r U(0.75,0.95) w U(0.02,0.10) a quarter each, complex noise in half the pairs with sigma = white matter / SNR,"
            + " SNR log-uniform " + (int) PairDegradation.SNR_LOW + ".." + (int) PairDegradation.SNR_HIGH + "; baseline zero-filling";

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
        for (E e : type.getEnumConstants()) {
            if (lower(e).equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("--" + option + " cannot be '" + value + "'");
    }
}
