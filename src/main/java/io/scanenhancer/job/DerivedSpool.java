package io.scanenhancer.job;

import io.scanenhancer.dicom.DerivedObject;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsException;
import io.scanenhancer.spool.PatientDataSpool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Derived objects wait here, on disk, until the whole study is enhanced: memory stays bounded by the batch while
 * nothing reaches the target PACS before every series succeeded (per-study atomicity).
 */
final class DerivedSpool implements AutoCloseable {
    private final Path dir;
    private final List<Path> files = new ArrayList<>();
    private final List<Integer> frames = new ArrayList<>();
    private final List<String> seriesUids = new ArrayList<>();
    private final List<String> sopUids = new ArrayList<>();

    private DerivedSpool(Path dir) {
        this.dir = dir;
    }

    static DerivedSpool create() {
        try {
            return new DerivedSpool(PatientDataSpool.newFolder("derived"));
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot create the spool folder for derived objects", e.getCause());
        }
    }

    void add(DerivedObject object, int frameCount) {
        Path f = dir.resolve(String.format("%06d.dcm", files.size()));
        try {
            Files.write(f, object.part10());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool a derived object", e);
        }
        files.add(f);
        frames.add(frameCount);
        seriesUids.add(object.seriesInstanceUid());
        sopUids.add(object.sopInstanceUid());
    }

    int size() {
        return files.size();
    }

    /**
     * Stores in the order added, at most {@code batch} objects per call, and only what the target does not hold yet
     * (the derived UIDs are deterministic: an instance present under its UID is this very object, left by an
     * interrupted attempt); reports stored or found frames after each call.
     *
     * @return per derived series UID, {stored now, already present}
     */
    Map<String, int[]> storeTo(Pacs target, String studyInstanceUid, int batch, IntConsumer storedFrames) throws PacsException {
        Map<String, Set<String>> present = new HashMap<>();
        Map<String, int[]> counts = new LinkedHashMap<>();
        List<Integer> toSend = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String series = seriesUids.get(i);
            if (!present.containsKey(series)) {
                present.put(series, target.storedInstanceUids(studyInstanceUid, series));
            }
            int[] c = counts.computeIfAbsent(series, k -> new int[2]);
            if (present.get(series).contains(sopUids.get(i))) {
                c[1]++;
                storedFrames.accept(frames.get(i));
            } else {
                c[0]++;
                toSend.add(i);
            }
        }
        for (int from = 0; from < toSend.size(); from += batch) {
            int to = Math.min(toSend.size(), from + batch);
            List<byte[]> chunk = new ArrayList<>(to - from);
            int chunkFrames = 0;
            for (int k = from; k < to; k++) {
                int i = toSend.get(k);
                try {
                    chunk.add(Files.readAllBytes(files.get(i)));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read a spooled derived object", e);
                }
                chunkFrames += frames.get(i);
            }
            target.store(chunk);
            storedFrames.accept(chunkFrames);
        }
        return counts;
    }

    @Override
    public void close() {
        PatientDataSpool.delete(dir);
    }
}
