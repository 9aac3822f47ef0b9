package io.scanenhancer.it;

import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.enhance.BicubicEnhancer;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.job.EnhanceStudyCommand;
import io.scanenhancer.job.EnhanceStudyJob;
import io.scanenhancer.job.JobProgress;
import io.scanenhancer.job.StudyOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job against a real Orthanc: frames of two series of one study reach the enhancer in full batches that cross
 * the series boundary, every instance still lands in its own derived series, and progress counts up to the total.
 */
@io.scanenhancer.StartsServices
class BatchedStudyJobTest {
    @TempDir
    Path temp;

    /** Bicubic, recording how many images each call got. */
    static final class RecordingBicubic implements Enhancer {
        final List<Integer> calls = new CopyOnWriteArrayList<>();
        private final BicubicEnhancer bicubic = new BicubicEnhancer(2);

        @Override
        public String modelId() {
            return bicubic.modelId();
        }

        @Override
        public String modelVersion() {
            return bicubic.modelVersion();
        }

        @Override
        public int scale() {
            return bicubic.scale();
        }

        @Override
        public EnhancedImage enhance(FloatImage lowResolution, EnhanceSettings settings) {
            return bicubic.enhance(lowResolution, settings);
        }

        @Override
        public List<EnhancedImage> enhanceAll(List<FloatImage> images, EnhanceSettings settings) {
            calls.add(images.size());
            return bicubic.enhanceAll(images, settings);
        }
    }

    @Test
    void batchesCrossSeriesAndProgressReachesTheTotal() throws Exception {
        LocalStack stack = SharedStack.get();
        SeriesFixture a = SeriesFixture.write(temp.resolve("a"), 5);
        SeriesFixture b = SeriesFixture.write(temp.resolve("b"), 4, a.studyInstanceUid());
        E2e.uploadViaRest(stack.orthanc(), a.files());
        E2e.uploadViaRest(stack.orthanc(), b.files());

        RecordingBicubic enhancer = new RecordingBicubic();
        // the PACS as the service reaches them: under the retry policy (a pooled connection Orthanc closed is tried again)
        java.util.concurrent.ExecutorService calls = io.scanenhancer.pacs.RetryingPacs.callThreads();
        EnhanceStudyJob job = new EnhanceStudyJob(stack.registry().decorated(p -> new io.scanenhancer.pacs.RetryingPacs(p,
                io.scanenhancer.pacs.PacsRetryPolicy.defaults(), calls)), enhancer, null, 3);
        List<JobProgress> progress = new CopyOnWriteArrayList<>();
        String requestId = UUID.randomUUID().toString();
        // the request's batch size (4) wins over the job's default (3)
        StudyOutcome outcome = job.run(new EnhanceStudyCommand(requestId, a.studyInstanceUid(), List.of(),
                LocalStack.DICOMWEB, LocalStack.DICOMWEB, 2, EnhanceSettings.defaults(), 4), progress::add);

        assertEquals(List.of(4, 4, 1), enhancer.calls, "9 slices of two series in batches of 4");
        assertEquals(2, outcome.series().size());
        // the PACS lists the series in its own order
        Map<String, Integer> derived = new HashMap<>();
        for (StudyOutcome.SeriesOutcome s : outcome.series()) {
            derived.put(s.sourceSeriesInstanceUid(), s.derivedInstances());
            assertEquals(s.derivedInstances(), E2e.qidoInstances(stack.orthanc(), a.studyInstanceUid(),
                    s.derivedSeriesInstanceUid()).size(), "derived instances in Orthanc");
        }
        assertEquals(Map.of(a.seriesInstanceUid(), 5, b.seriesInstanceUid(), 4), derived);

        JobProgress last = progress.get(progress.size() - 1);
        assertEquals(requestId, last.requestId());
        assertEquals(JobProgress.STORE, last.stage());
        assertEquals(9, last.total());
        assertEquals(9, last.stored());
        assertEquals(9, last.enhanced());
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i).enhanced() >= progress.get(i - 1).enhanced(), "enhanced count never falls");
        }
        assertTrue(progress.stream().anyMatch(p -> p.stage().equals(JobProgress.ENHANCE) && p.enhanced() == 4),
                "progress after the first batch: " + progress);
        assertTrue(outcome.timings().totalMs() >= outcome.timings().modelMs());
    }
}
