package io.scanenhancer.receiver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanenhancer.config.ServiceConfig;
import io.scanenhancer.messaging.EventJson;
import io.scanenhancer.messaging.InvalidRequestException;
import io.scanenhancer.messaging.RequestParser;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The configured routing rules, checked at start-up: a mistake stops the service with the key and what is wrong. */
final class RoutingRules {
    private RoutingRules() {
    }

    /**
     * @param pacsNames the configured PACS
     * @return the rules in name order (the order they are tried in); empty when none is configured
     */
    static List<RoutingRule> from(Map<String, ServiceConfig.Receiver.Rule> configured, Collection<String> pacsNames) {
        List<RoutingRule> rules = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        new TreeMap<>(configured).forEach((name, r) -> {
            String key = "enhancer.receiver.rules." + name + ".";
            Pattern description = null;
            if (r.seriesDescription().isPresent()) {
                try {
                    description = Pattern.compile(r.seriesDescription().get());
                } catch (PatternSyntaxException e) {
                    errors.add(key + "series-description: not a regular expression: " + e.getDescription());
                }
            }
            if (r.minSlices() < 1) {
                errors.add(key + "min-slices must be at least 1, not " + r.minSlices());
            }
            if (r.minMatrix() < 1 || r.minMatrix() > r.maxMatrix()) {
                errors.add(key + "min-matrix (" + r.minMatrix() + ") must be at least 1 and at most max-matrix ("
                        + r.maxMatrix() + ")");
            }
            if (r.targetPacs().isPresent() && !pacsNames.contains(r.targetPacs().get())) {
                errors.add(key + "target-pacs: unknown PACS '" + r.targetPacs().get() + "' (configured: "
                        + String.join(", ", pacsNames) + ")");
            }
            String options = optionsProblem(r);
            if (options != null) {
                errors.add(key.substring(0, key.length() - 1) + ": " + options);
            }
            rules.add(new RoutingRule(name, RoutingRule.upper(r.modality().orElse(List.of())), description,
                    RoutingRule.upper(r.bodyPart().orElse(List.of())), r.minSlices(), r.minMatrix(), r.maxMatrix(),
                    r.originalOnly(), r.targetPacs().orElse(null), r.degradation().orElse(null),
                    r.uncertainty().isPresent() ? r.uncertainty().getAsInt() : null,
                    r.batchSize().isPresent() ? r.batchSize().getAsInt() : null));
        });
        if (!errors.isEmpty()) {
            throw new IllegalStateException("invalid routing rules:\n  " + String.join("\n  ", errors));
        }
        return List.copyOf(rules);
    }

    /** The rule's request options through the request parser, so they are held to the bounds every request is. */
    private static String optionsProblem(ServiceConfig.Receiver.Rule r) {
        ObjectMapper json = EventJson.mapper();
        ObjectNode request = json.createObjectNode().put("requestId", "rule-check").put("studyInstanceUid", "1.2.3")
                .put("sourcePacs", "a").put("targetPacs", "a").put("operation", "enhance");
        r.degradation().ifPresent(d -> request.put("degradation", d));
        r.uncertainty().ifPresent(u -> request.put("uncertainty", u));
        r.batchSize().ifPresent(b -> request.put("batchSize", b));
        try {
            new RequestParser(json).parse(request.toString());
            return null;
        } catch (InvalidRequestException e) {
            return e.getMessage().replace("field 'batchSize'", "batch-size").replace("field 'uncertainty'", "uncertainty")
                    .replace("field 'degradation'", "degradation");
        }
    }

    /** The rule names, for log lines. */
    static Set<String> names(List<RoutingRule> rules) {
        return rules.stream().map(RoutingRule::name).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }
}
