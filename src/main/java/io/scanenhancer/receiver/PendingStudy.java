package io.scanenhancer.receiver;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the receiver knows of one study from one sender: UIDs and times only, never patient data. A study is
 * <em>pending</em> while {@code pendingSeries} is not empty: those series received instances since the last request.
 * It is kept after its request, for {@code enhancer.receiver.remember}, so that instances sent again are recognised
 * ({@code seenInstances}) and do not trigger it again.
 *
 * @param studyInstanceUid  the study
 * @param sourcePacs        the configured PACS the sender stands for (or the forward-to PACS): the request's source
 * @param pendingSeries     series with instances not yet covered by a published request
 * @param seenInstances     SOP Instance UIDs received so far
 * @param lastArrivalMillis epoch millis of the latest new instance
 * @param requests          requests published for this study so far (the next request's round number)
 * @param lastRequestMillis epoch millis of the latest published request; 0 = none yet
 * @param series            per Series Instance UID, what routing rules look at (absent in state written before rules)
 */
public record PendingStudy(String studyInstanceUid, String sourcePacs, Set<String> pendingSeries, Set<String> seenInstances,
                           long lastArrivalMillis, int requests, long lastRequestMillis, Map<String, SeriesFacts> series) {

    public PendingStudy {
        pendingSeries = Set.copyOf(pendingSeries);
        seenInstances = Set.copyOf(seenInstances);
        series = series == null ? Map.of() : Map.copyOf(series);
    }

    static PendingStudy first(String study, String sourcePacs) {
        return new PendingStudy(study, sourcePacs, Set.of(), Set.of(), 0, 0, 0, Map.of());
    }

    public boolean pending() {
        return !pendingSeries.isEmpty();
    }

    /** The same study with one more instance; the instance's series becomes pending again even if it was requested. */
    PendingStudy withInstance(String seriesUid, String sop, SeriesFacts facts, long nowMillis) {
        Set<String> seriesNow = new TreeSet<>(pendingSeries);
        seriesNow.add(seriesUid);
        Set<String> seen = new TreeSet<>(seenInstances);
        seen.add(sop);
        Map<String, SeriesFacts> known = new TreeMap<>(series);
        known.merge(seriesUid, facts, (was, one) -> was.plusOne());
        return new PendingStudy(studyInstanceUid, sourcePacs, seriesNow, seen, nowMillis, requests, lastRequestMillis, known);
    }

    /** After its request was published: nothing pending, one more request. */
    PendingStudy requested(long nowMillis) {
        return new PendingStudy(studyInstanceUid, sourcePacs, Set.of(), seenInstances, lastArrivalMillis, requests + 1, nowMillis,
                series);
    }

    /** The pending series in a stable order, for the request. */
    List<String> seriesToRequest() {
        return List.copyOf(new TreeSet<>(pendingSeries));
    }
}
