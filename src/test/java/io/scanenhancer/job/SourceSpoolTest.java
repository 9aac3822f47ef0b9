package io.scanenhancer.job;

import io.scanenhancer.pacs.InstanceRef;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.SeriesRef;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spool a job retrieves into: it shrinks as objects are read, holds one series at a time and goes with the job. */
class SourceSpoolTest {
    /** Writes n small objects per series into the folder it is given, as the real implementations do. */
    private static Pacs writingPacs(int n) {
        return new Pacs() {
            public String name() {
                return "files";
            }

            public List<SeriesRef> findSeries(String study) {
                return List.of();
            }

            public List<InstanceRef> findInstances(String study, String series) {
                return List.of();
            }

            public Set<String> storedInstanceUids(String study, String series) {
                return Set.of();
            }

            public List<Path> retrieveTo(String study, String series, Path folder) {
                List<Path> files = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Path f = folder.resolve(series + "-" + i + ".dcm");
                    try {
                        Files.write(f, new byte[]{(byte) i, 7});
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    files.add(f);
                }
                return files;
            }

            public void store(List<byte[]> objects) {
                throw new UnsupportedOperationException();
            }

            public void ping() {
            }
        };
    }

    @Test
    void readingAnObjectDeletesItsFileAndTheFolderGoesWithTheSpool() throws Exception {
        Path folder;
        try (SourceSpool spool = SourceSpool.create()) {
            folder = spool.folder();
            List<Path> first = spool.retrieve(writingPacs(3), "1.2", "1.2.3");
            assertEquals(3, first.size());
            assertArrayEquals(new byte[]{1, 7}, SourceSpool.take(first.get(1)));
            assertFalse(Files.exists(first.get(1)));
            assertTrue(Files.exists(first.get(0)));

            // the next series replaces what is left of the previous one (a series passed over half-read)
            List<Path> second = spool.retrieve(writingPacs(2), "1.2", "1.2.4");
            try (var left = Files.list(folder)) {
                assertEquals(Set.copyOf(second), Set.copyOf(left.toList()));
            }
        }
        assertFalse(Files.exists(folder));
    }

    @Test
    void theDefaultInMemoryRetrieveLeavesNoFilesBehind() throws Exception {
        List<byte[]> objects = writingPacs(4).retrieve("1.2", "1.2.5");
        assertEquals(4, objects.size());
        assertArrayEquals(new byte[]{3, 7}, objects.get(3));
        try (var left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("scan-enhancer-retrieve")
                    && Files.exists(p.resolve("1.2.5-0.dcm"))));
        }
    }
}
