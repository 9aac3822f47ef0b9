package io.scanenhancer.job;

import io.scanenhancer.dicom.DerivedObject;
import io.scanenhancer.it.SeriesFixture;
import io.scanenhancer.pacs.InMemoryPacs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What both jobs' store sends (DerivedSpool.storeTo, used by EnhanceStudyJob and SynthesizeStudyJob): only the objects
 * the target does not hold under their UID yet, in order, in chunks of the batch size.
 */
class DerivedSpoolTest {
    @TempDir
    Path temp;

    private SeriesFixture fixture;

    /** A series of n real objects, as derived objects (their UIDs read back the way a PACS files them). */
    private List<DerivedObject> series(int n) throws Exception {
        SeriesFixture s = SeriesFixture.write(temp, n);
        fixture = s;
        List<DerivedObject> objects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] bytes = Files.readAllBytes(s.files().get(i));
            InMemoryPacs probe = new InMemoryPacs("probe");
            probe.put(bytes);
            objects.add(new DerivedObject(s.seriesInstanceUid(), probe.instances(s.studyInstanceUid(),
                    s.seriesInstanceUid()).get(0), bytes));
        }
        return objects;
    }

    private static Map<String, int[]> store(List<DerivedObject> objects, InMemoryPacs target, String study, int batch)
            throws Exception {
        try (DerivedSpool spool = DerivedSpool.create()) {
            objects.forEach(o -> spool.add(o, 1));
            return spool.storeTo(target, study, batch, frames -> { });
        }
    }

    @Test
    void nothingPresentSendsEverythingInChunksOfTheBatch() throws Exception {
        List<DerivedObject> objects = series(5);
        String study = fixture.studyInstanceUid();
        InMemoryPacs target = new InMemoryPacs("t");
        int[] counts = store(objects, target, study, 2).get(objects.get(0).seriesInstanceUid());
        assertEquals(5, counts[0]);
        assertEquals(0, counts[1]);
        assertEquals(3, target.calls("store"), "5 objects in chunks of 2");
        assertEquals(objects.stream().map(DerivedObject::sopInstanceUid).toList(),
                target.instances(study, objects.get(0).seriesInstanceUid()), "in order");
    }

    @Test
    void aPartlyStoredSeriesGetsOnlyTheRest() throws Exception {
        List<DerivedObject> objects = series(3);
        String study = fixture.studyInstanceUid();
        InMemoryPacs target = new InMemoryPacs("t");
        target.put(objects.get(1).part10());
        int[] counts = store(objects, target, study, 8).get(objects.get(0).seriesInstanceUid());
        assertEquals(2, counts[0]);
        assertEquals(1, counts[1]);
        assertEquals(1, target.calls("store"));
        assertEquals(3, target.instances(study, objects.get(0).seriesInstanceUid()).size());
    }

    @Test
    void aCompleteSeriesSendsNothing() throws Exception {
        List<DerivedObject> objects = series(2);
        String study = fixture.studyInstanceUid();
        InMemoryPacs target = new InMemoryPacs("t");
        objects.forEach(o -> target.put(o.part10()));
        int[] counts = store(objects, target, study, 8).get(objects.get(0).seriesInstanceUid());
        assertArrayEquals(new int[] {0, 2}, counts);
        assertEquals(0, target.calls("store"));
    }
}
