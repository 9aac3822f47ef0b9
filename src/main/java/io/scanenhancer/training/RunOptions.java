package io.scanenhancer.training;

import io.scanenhancer.diffusion.ModelConfig;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The loop options of {@code ./enhancer train} beside its {@link TrainingRecipe}: how long, on what batches, at what
 * learning rate, from which weights. Recorded in config.json (training.details {@value #DETAILS_KEY}) so that a resume
 * runs the loop it started: an option left off the resuming command line takes the recorded value (a run started with
 * {@code --patch 96} is not resumed at the default 64), one given with another value is refused. The exception is
 * {@code --steps}, which may move a run's end; the cosine learning rate then decays towards the new end.
 */
public final class RunOptions {
    public static final String DETAILS_KEY = "runOptions";
    /** The options, as {@code train} names them. */
    public static final List<String> NAMES = List.of("steps", "batch", "patch", "learning-rate", "seed", "channels",
            "model-version", "init-from");
    /** The one option a resume may change. */
    public static final String MOVABLE = "steps";

    private RunOptions() {
    }

    /** The command line's values (name -> canonical value); an option without a value (no warm start) is left out. */
    public static Map<String, String> requested(Function<String, String> get) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : NAMES) {
            String v = get.apply(name);
            if (v != null) {
                values.put(name, canonical(name, v));
            }
        }
        return values;
    }

    /**
     * What a run's config records. A config written before the options were recorded ({@code complete} false) gives
     * what its details and fields say (batch, patch, seed, widths, version); its steps, learning rate and warm start
     * are unknown, and neither checked nor adopted.
     *
     * @param values   name -> canonical value; in a complete record, an option left out had no value (no warm start)
     */
    public record Recorded(Map<String, String> values, boolean complete) {

        /**
         * The values a resume runs with: the recorded one for each option not given; a given option must equal the
         * recorded value, except {@value #MOVABLE}.
         *
         * @throws IllegalArgumentException naming the option, both values, and what to do instead
         */
        public Map<String, String> resumedWith(Map<String, String> requested, Predicate<String> given) {
            Map<String, String> out = new LinkedHashMap<>();
            for (String name : NAMES) {
                String mine = values.get(name), theirs = requested.get(name);
                boolean known = complete || values.containsKey(name);
                if (!known || (given.test(name) && name.equals(MOVABLE))) {
                    put(out, name, theirs);
                } else if (given.test(name) && !Objects.equals(mine, theirs)) {
                    throw new IllegalArgumentException("--" + name + " " + theirs + ": this run folder was started with "
                            + (mine == null ? "no --" + name : "--" + name + " " + mine) + " (config.json), and a resume"
                            + " keeps it; leave it off, or use another --out (--init-from a model made from this run goes"
                            + " on from its weights)");
                } else {
                    put(out, name, mine);
                }
            }
            return out;
        }
    }

    @SuppressWarnings("unchecked")
    public static Recorded recorded(ModelConfig config) {
        Map<String, Object> details = config.training() == null ? Map.of() : config.training().details();
        Map<String, String> values = new LinkedHashMap<>();
        if (details.get(DETAILS_KEY) instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach((k, v) -> values.put(k, canonical(k, String.valueOf(v))));
            return new Recorded(values, true);
        }
        for (String name : List.of("batch", "patch", "seed")) {
            if (details.get(name) != null) {
                values.put(name, canonical(name, String.valueOf(details.get(name))));
            }
        }
        values.put("channels", canonical("channels", Arrays.stream(config.channels()).mapToObj(Integer::toString)
                .collect(Collectors.joining(","))));
        values.put("model-version", config.version());
        return new Recorded(values, false);
    }

    private static void put(Map<String, String> values, String name, String value) {
        if (value != null) {
            values.put(name, value);
        }
    }

    /** One spelling per value, so that "1e-4" and "0.0001", or "32, 64,128" and "32,64,128", are the same option. */
    static String canonical(String name, String value) {
        String v = value.trim();
        return switch (name) {
            case "steps", "batch", "patch" -> Integer.toString(Integer.parseInt(v));
            case "seed" -> Long.toString(Long.parseLong(v));
            case "learning-rate" -> Double.toString(Double.parseDouble(v));
            case "channels" -> Arrays.stream(v.replaceAll("[\\[\\]]", "").split(",")).map(String::trim)
                    .map(Integer::parseInt).map(String::valueOf).collect(Collectors.joining(","));
            case "init-from" -> Path.of(v).normalize().toString();
            default -> v;
        };
    }
}
