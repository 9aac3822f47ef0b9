package io.scanenhancer.job;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import io.scanenhancer.enhance.BicubicEnhancer;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.it.SeriesFixture;
import io.scanenhancer.pacs.InMemoryPacs;
import io.scanenhancer.pacs.PacsException;
import io.scanenhancer.pacs.PacsRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The enhance job against in-memory PACS (fast, no Orthanc): what it stores where, what a repeated request sends,
 * per-study atomicity, and the rejections it names. The same job against Orthanc: BatchedStudyJobTest and the it tests.
 */
class EnhanceStudyJobTest {
    @TempDir
    Path temp;
    private final InMemoryPacs source = new InMemoryPacs("source");
    private final InMemoryPacs target = new InMemoryPacs("target");
    private EnhanceStudyJob job;
    private SeriesFixture a;
    private SeriesFixture b;

    @BeforeEach
    void load() throws Exception {
        a = SeriesFixture.write(temp.resolve("a"), 3);
        b = SeriesFixture.write(temp.resolve("b"), 2, a.studyInstanceUid());
        for (Path f : a.files()) {
            source.put(Files.readAllBytes(f));
        }
        for (Path f : b.files()) {
            source.put(Files.readAllBytes(f));
        }
        job = new EnhanceStudyJob(new PacsRegistry(Map.of("source", source, "target", target)), new BicubicEnhancer(2), null, 2);
    }

    private EnhanceStudyCommand command(String study, List<String> series) {
        return new EnhanceStudyCommand("r1", study, series, "source", "target", 2, EnhanceSettings.defaults());
    }

    @Test
    void everySeriesOfTheStudyGetsOneDerivedSeriesInTheTarget() throws Exception {
        List<JobProgress> progress = new CopyOnWriteArrayList<>();
        StudyOutcome outcome = job.run(command(a.studyInstanceUid(), List.of()), progress::add);
        assertEquals(2, outcome.series().size());
        for (StudyOutcome.SeriesOutcome s : outcome.series()) {
            int n = s.sourceSeriesInstanceUid().equals(a.seriesInstanceUid()) ? 3 : 2;
            assertEquals(n, s.derivedInstances());
            assertEquals(n, s.storedInstances());
            assertEquals(0, s.alreadyPresentInstances());
            assertEquals(n, target.instances(a.studyInstanceUid(), s.derivedSeriesInstanceUid()).size());
        }
        assertEquals(2, target.series(a.studyInstanceUid()).size(), "the derived series only, no source copied");
        JobProgress last = progress.get(progress.size() - 1);
        assertEquals(List.of(5, 5, 5, 5), List.of(last.total(), last.retrieved(), last.enhanced(), last.stored()));
        assertEquals("bicubic", outcome.modelId());
    }

    @Test
    void theProgressStageIsTheOneTheJobIsIn() throws Exception {
        List<JobProgress> progress = new CopyOnWriteArrayList<>();
        job.run(command(a.studyInstanceUid(), List.of(a.seriesInstanceUid())), progress::add);
        assertEquals(List.of(JobProgress.RETRIEVE, JobProgress.ENHANCE, JobProgress.STORE), stages(progress));
        for (int i = 1; i < progress.size(); i++) {
            if (progress.get(i).enhanced() > progress.get(i - 1).enhanced()) {
                // what a reader saw while the enhancer ran: the event before its result
                assertEquals(JobProgress.ENHANCE, progress.get(i - 1).stage(), "stage during an enhancer call: " + progress);
            }
            if (progress.get(i).stored() > progress.get(i - 1).stored()) {
                assertEquals(JobProgress.STORE, progress.get(i - 1).stage(), "stage during a store: " + progress);
            }
        }

        // a second series is downloaded after the first one's slices went to the enhancer: back to retrieve for it
        List<JobProgress> study = new CopyOnWriteArrayList<>();
        job.run(command(a.studyInstanceUid(), List.of()), study::add);
        assertEquals(List.of(JobProgress.RETRIEVE, JobProgress.ENHANCE, JobProgress.RETRIEVE, JobProgress.ENHANCE,
                JobProgress.STORE), stages(study));
    }

    /** The stages in the order the job went through them, repeats in a row counted once. */
    private static List<String> stages(List<JobProgress> events) {
        List<String> stages = new java.util.ArrayList<>();
        for (JobProgress p : events) {
            if (stages.isEmpty() || !stages.get(stages.size() - 1).equals(p.stage())) {
                stages.add(p.stage());
            }
        }
        return stages;
    }

    @Test
    void theSameRequestAgainSendsNothingAndLeavesOneDerivedSeriesPerSource() throws Exception {
        job.run(command(a.studyInstanceUid(), List.of()));
        int stores = target.calls("store");
        StudyOutcome again = job.run(command(a.studyInstanceUid(), List.of()));
        assertEquals(stores, target.calls("store"), "nothing sent the second time");
        again.series().forEach(s -> {
            assertEquals(0, s.storedInstances());
            assertEquals(s.derivedInstances(), s.alreadyPresentInstances());
        });
        assertEquals(2, target.series(a.studyInstanceUid()).size());
    }

    @Test
    void aRefusedInstanceInTheSecondSeriesStoresNothingAtAll() throws Exception {
        AttributeList list = new AttributeList();
        list.read(b.files().get(1).toString());
        list.remove(TagFromName.PixelData); // an image without pixels: the reader refuses it
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        list.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
        source.put(out.toByteArray());
        RejectedRequestException e = assertThrows(RejectedRequestException.class,
                () -> job.run(command(a.studyInstanceUid(), List.of())));
        assertEquals(ErrorCode.REFUSED_INPUT, e.code());
        assertEquals(0, target.calls("store"));
        assertTrue(target.series(a.studyInstanceUid()).isEmpty(), "per-study atomicity: " + target.series(a.studyInstanceUid()));
    }

    @Test
    void requestsThatCannotSucceedAreRejectedWithTheirCode() {
        assertEquals(ErrorCode.STUDY_NOT_FOUND, rejected(command("1.2.3.4", List.of())));
        assertEquals(ErrorCode.SERIES_NOT_FOUND, rejected(command(a.studyInstanceUid(), List.of("1.2.3.4"))));
        assertEquals(ErrorCode.UNKNOWN_PACS, rejected(new EnhanceStudyCommand("r", a.studyInstanceUid(), List.of(),
                "elsewhere", "target", 2, EnhanceSettings.defaults())));
        assertEquals(ErrorCode.UNSUPPORTED_SCALE, rejected(new EnhanceStudyCommand("r", a.studyInstanceUid(), List.of(),
                "source", "target", 3, EnhanceSettings.defaults())));
        assertEquals(0, target.calls("store"));
    }

    @Test
    void aPacsFailureReachesTheCallerAsItIsWithoutRetriesOfTheJobsOwn() {
        target.failNext(1, true); // the pre-flight ping
        PacsException e = assertThrows(PacsException.class, () -> job.run(command(a.studyInstanceUid(), List.of())));
        assertTrue(e.transientFailure());
        assertEquals(1, target.calls("ping"));
        assertEquals(0, source.calls("retrieveTo"), "a target that is down fails the attempt before the work");
    }

    private ErrorCode rejected(EnhanceStudyCommand command) {
        return assertThrows(RejectedRequestException.class, () -> job.run(command)).code();
    }
}
