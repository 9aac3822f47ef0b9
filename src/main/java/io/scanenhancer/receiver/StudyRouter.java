package io.scanenhancer.receiver;

import io.micrometer.core.instrument.Counter;
import io.scanenhancer.messaging.StudyRequest;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a stable study into its requests: each pending series goes to the first routing rule it matches, and each rule
 * that got series becomes one request with the rule's target and options. Without rules, one request for every series.
 * A study none of whose series matches is acknowledged (it is not tried again) and counted, not enhanced.
 */
final class StudyRouter implements StudyStabilityTracker.RequestSink {
    private static final Logger LOG = Logger.getLogger(StudyRouter.class);
    /** Micrometer name; Prometheus shows enhancer_receiver_studies_unrouted_total. */
    static final String UNROUTED = "enhancer.receiver.studies.unrouted";

    /** Puts a request on the requests topic; returns normally when that request id is out already. */
    interface RequestQueue {
        void queue(StudyRequest request) throws Exception;
    }

    private final List<RoutingRule> rules;
    private final String defaultTarget;
    private final RequestQueue queue;
    private final Counter unrouted;

    /** @param defaultTarget null = the study's source PACS */
    StudyRouter(List<RoutingRule> rules, String defaultTarget, RequestQueue queue, Counter unrouted) {
        this.rules = List.copyOf(rules);
        this.defaultTarget = defaultTarget;
        this.queue = queue;
        this.unrouted = unrouted;
    }

    @Override
    public void publish(String requestId, PendingStudy study, List<String> series) throws Exception {
        Map<RoutingRule, List<String>> routed = route(study, series);
        if (routed.isEmpty()) {
            unrouted.increment();
            LOG.infof("receiver: study %s from %s: none of its %d series matches a routing rule %s; not enhanced",
                    study.studyInstanceUid(), study.sourcePacs(), series.size(), RoutingRules.names(rules));
            return;
        }
        for (Map.Entry<RoutingRule, List<String>> e : routed.entrySet()) {
            RoutingRule rule = e.getKey();
            String id = rules.isEmpty() ? requestId : UUID.nameUUIDFromBytes((requestId + "\n" + rule.name())
                    .getBytes(StandardCharsets.UTF_8)).toString();
            String target = rule.targetPacs() != null ? rule.targetPacs()
                    : defaultTarget != null ? defaultTarget : study.sourcePacs();
            queue.queue(new StudyRequest(id, study.studyInstanceUid(), e.getValue(), study.sourcePacs(), target,
                    StudyRequest.OPERATION_ENHANCE, null, null, null, rule.uncertainty(), null, rule.batchSize(), null, null,
                    rule.degradation()));
            if (!rules.isEmpty()) {
                LOG.infof("receiver: study %s: rule %s -> request %s for %d series into %s", study.studyInstanceUid(),
                        rule.name(), id, e.getValue().size(), target);
            }
        }
    }

    /** Series by the first rule they match, rules in their order. */
    Map<RoutingRule, List<String>> route(PendingStudy study, List<String> series) {
        Map<RoutingRule, List<String>> routed = new LinkedHashMap<>();
        if (rules.isEmpty()) {
            routed.put(RoutingRule.everything(), List.copyOf(series));
            return routed;
        }
        for (RoutingRule rule : rules) {
            for (String uid : series) {
                SeriesFacts facts = study.series().get(uid);
                boolean taken = routed.values().stream().anyMatch(l -> l.contains(uid));
                if (!taken && facts != null && rule.matches(facts)) {
                    routed.computeIfAbsent(rule, r -> new ArrayList<>()).add(uid);
                }
            }
        }
        return routed;
    }
}
