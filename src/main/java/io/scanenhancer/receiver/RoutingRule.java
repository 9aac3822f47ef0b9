package io.scanenhancer.receiver;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which series to enhance and how (README "Routing rules"): every condition given must hold. Built and checked at
 * start-up ({@link RoutingRules#from}).
 *
 * @param targetPacs null = the receiver's target, or the study's source
 */
record RoutingRule(String name, Set<String> modalities, Pattern seriesDescription, Set<String> bodyParts, int minSlices,
                   int minMatrix, int maxMatrix, boolean originalOnly, String targetPacs, String degradation,
                   Integer uncertainty, Integer batchSize) {

    boolean matches(SeriesFacts s) {
        return (modalities.isEmpty() || modalities.contains(s.modality().toUpperCase(java.util.Locale.ROOT)))
                && (seriesDescription == null || seriesDescription.matcher(s.seriesDescription()).matches())
                && (bodyParts.isEmpty() || bodyParts.contains(s.bodyPart().toUpperCase(java.util.Locale.ROOT)))
                && s.instances() >= minSlices
                && s.rows() >= minMatrix && s.columns() >= minMatrix && s.rows() <= maxMatrix && s.columns() <= maxMatrix
                && (!originalOnly || s.original());
    }

    /** The rule that takes every series with the defaults: what runs when no rule is configured. */
    static RoutingRule everything() {
        return new RoutingRule("(all)", Set.of(), null, Set.of(), 1, 0, Integer.MAX_VALUE, false, null, null, null, null);
    }

    static Set<String> upper(List<String> values) {
        return values.stream().map(v -> v.trim().toUpperCase(java.util.Locale.ROOT)).filter(v -> !v.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
