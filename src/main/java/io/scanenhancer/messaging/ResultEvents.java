package io.scanenhancer.messaging;

import io.scanenhancer.job.JobProgress;
import io.scanenhancer.job.StudyOutcome;
import io.scanenhancer.job.SynthesizeStudyJob;

import java.time.Instant;
import java.util.List;

/**
 * A request and what became of it -> the events of the contract (README "Event contract",
 * src/main/resources/schemas): results, failed results, progress. Pure functions; the time is the caller's.
 */
final class ResultEvents {
    private ResultEvents() {
    }

    static StudyResult success(StudyRequest r, StudyOutcome o, Instant at) {
        List<StudyResult.Series> series = o.series().stream().map(s -> new StudyResult.Series(
                s.sourceSeriesInstanceUid(), s.derivedSeriesInstanceUid(), s.sourceInstances(), s.derivedInstances(),
                s.storedInstances(), s.alreadyPresentInstances(), s.uncertaintySeriesInstanceUid(), s.degradation())).toList();
        StudyResult.TimingsMs t = new StudyResult.TimingsMs(o.timings().retrieveMs(), o.timings().enhanceMs(),
                o.timings().storeMs(), o.timings().totalMs());
        return new StudyResult(r.requestId(), StudyResult.SUCCEEDED, r.studyInstanceUid(), r.sourcePacs(), r.targetPacs(),
                series, o.modelId(), o.modelVersion(), o.method(), o.outOfDistribution(), t, null, null, at.toString());
    }

    static StudyResult synthesized(StudyRequest r, SynthesizeStudyJob.Outcome o, Instant at) {
        StudyResult.Series series = new StudyResult.Series(null, o.seriesInstanceUid(), 0, o.generated() - o.rejected(),
                o.stored(), o.generated() - o.rejected() - o.stored(), null);
        List<StudyResult.Series> all = o.segmentationSeriesInstanceUid() == null ? List.of(series) : List.of(series,
                new StudyResult.Series(null, o.segmentationSeriesInstanceUid(), 0, 1, o.segmentationStored(),
                        1 - o.segmentationStored(), null));
        StudyResult.TimingsMs t = new StudyResult.TimingsMs(0, o.synthesizeMs(), o.storeMs(), o.synthesizeMs() + o.storeMs());
        StudyResult.MemorisationAudit audit = new StudyResult.MemorisationAudit(o.generated(), o.generated() - o.rejected(),
                o.rejected(), o.closestDistance(), o.threshold(), o.metric(), o.rejected(), o.redrawBudget());
        return new StudyResult(r.requestId(), StudyResult.SUCCEEDED, o.studyInstanceUid(), null, r.targetPacs(),
                all, o.modelId(), o.modelVersion(), o.method(), null, t, null, null, at.toString(),
                r.operation(), audit);
    }

    static StudyResult failure(StudyRequest r, String code, String reason, Instant at) {
        return new StudyResult(r.requestId(), StudyResult.FAILED, r.studyInstanceUid(), r.sourcePacs(), r.targetPacs(),
                List.of(), null, null, null, null, null, reason, code, at.toString(),
                r.isSynthesize() ? r.operation() : null, null);
    }

    static ProgressEvent progress(StudyRequest r, JobProgress p, Instant at) {
        return new ProgressEvent(r.requestId(), r.studyInstanceUid(), p.stage(), p.total(), p.retrieved(), p.enhanced(),
                p.stored(), at.toString());
    }
}
