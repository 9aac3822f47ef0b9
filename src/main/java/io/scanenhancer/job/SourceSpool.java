package io.scanenhancer.job;

import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsException;
import io.scanenhancer.spool.PatientDataSpool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Retrieved source objects wait here, on disk, one series at a time, until the job reads them: the heap holds one
 * object and one batch, not a series (a 600-slice 512x512 series is 300 MiB of Part 10 bytes). The folder goes when
 * the job ends, whatever the outcome; a process killed mid-study leaves it in the {@link PatientDataSpool}, whose
 * next start removes it.
 */
final class SourceSpool implements AutoCloseable {
    private final Path dir;

    private SourceSpool(Path dir) {
        this.dir = dir;
    }

    static SourceSpool create() {
        try {
            return new SourceSpool(PatientDataSpool.newFolder("source"));
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot create the spool folder for retrieved objects", e.getCause());
        }
    }

    /** The series' objects as files in this spool, in the order the PACS sent them; what an earlier series left goes first. */
    List<Path> retrieve(Pacs pacs, String studyInstanceUid, String seriesInstanceUid) throws PacsException {
        clear();
        return pacs.retrieveTo(studyInstanceUid, seriesInstanceUid, dir);
    }

    /** The object's bytes; its file is deleted, so the spool shrinks as the job reads. */
    static byte[] take(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            Files.delete(file);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a retrieved object back from the spool", e);
        }
    }

    Path folder() {
        return dir;
    }

    private void clear() {
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the spool folder for retrieved objects", e);
        }
    }

    @Override
    public void close() {
        PatientDataSpool.delete(dir);
    }
}
