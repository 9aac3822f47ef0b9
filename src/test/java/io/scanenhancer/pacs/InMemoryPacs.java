package io.scanenhancer.pacs;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A PACS that keeps its Part 10 objects in memory: study -> series -> SOP Instance UID -> bytes, read from the objects
 * themselves as a real archive files them. For fast tests of the job and the record loop without Orthanc. It can be
 * taken down for a number of calls ({@link #failNext}), as a PACS that refuses connections, and it counts its calls.
 */
public final class InMemoryPacs implements Pacs {
    private final String name;
    private final Map<String, Map<String, Map<String, byte[]>>> studies = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile boolean failTransient = true;

    public InMemoryPacs(String name) {
        this.name = name;
    }

    /** The next {@code n} calls fail: transient (as a PACS that is down) or not (as one that refuses). */
    public InMemoryPacs failNext(int n, boolean transientFailure) {
        failTransient = transientFailure;
        failNext.set(n);
        return this;
    }

    /** Calls made so far of one method: findSeries, findInstances, storedInstanceUids, retrieveTo, store, ping. */
    public int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    /** SOP Instance UIDs of a series, in the order they were stored. */
    public synchronized List<String> instances(String study, String series) {
        return new ArrayList<>(studies.getOrDefault(study, Map.of()).getOrDefault(series, Map.of()).keySet());
    }

    public synchronized Set<String> series(String study) {
        return new LinkedHashSet<>(studies.getOrDefault(study, Map.of()).keySet());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized List<SeriesRef> findSeries(String study) throws PacsException {
        call("findSeries");
        List<SeriesRef> found = new ArrayList<>();
        studies.getOrDefault(study, Map.of()).forEach((series, objects) -> found.add(new SeriesRef(series,
                value(objects.values().iterator().next(), TagFromName.Modality), objects.size())));
        return found;
    }

    @Override
    public synchronized List<InstanceRef> findInstances(String study, String series) throws PacsException {
        call("findInstances");
        List<InstanceRef> found = new ArrayList<>();
        studies.getOrDefault(study, Map.of()).getOrDefault(series, Map.of()).forEach((sop, bytes) ->
                found.add(new InstanceRef(sop, value(bytes, TagFromName.SOPClassUID))));
        return found;
    }

    @Override
    public synchronized Set<String> storedInstanceUids(String study, String series) throws PacsException {
        call("storedInstanceUids");
        return new LinkedHashSet<>(instances(study, series));
    }

    @Override
    public synchronized List<Path> retrieveTo(String study, String series, Path folder) throws PacsException {
        call("retrieveTo");
        List<Path> files = new ArrayList<>();
        for (byte[] bytes : studies.getOrDefault(study, Map.of()).getOrDefault(series, Map.of()).values()) {
            Path f = folder.resolve(String.format("mem-%06d.dcm", files.size()));
            try {
                Files.write(f, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            files.add(f);
        }
        return files;
    }

    @Override
    public synchronized void store(List<byte[]> part10Objects) throws PacsException {
        call("store");
        for (byte[] bytes : part10Objects) {
            put(bytes);
        }
    }

    @Override
    public void ping() throws PacsException {
        call("ping");
    }

    /** Files an object as a PACS does, by its own UIDs (no call counted, no failure). */
    public synchronized void put(byte[] part10) {
        studies.computeIfAbsent(value(part10, TagFromName.StudyInstanceUID), k -> new LinkedHashMap<>())
                .computeIfAbsent(value(part10, TagFromName.SeriesInstanceUID), k -> new LinkedHashMap<>())
                .put(value(part10, TagFromName.SOPInstanceUID), part10.clone());
    }

    private void call(String method) throws PacsException {
        calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new PacsException(name + ": " + method + (failTransient ? " could not connect" : " refused (HTTP 400)"),
                    failTransient);
        }
    }

    private static String value(byte[] part10, com.pixelmed.dicom.AttributeTag tag) {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(part10))) {
            AttributeList list = new AttributeList();
            list.read(in);
            return Attribute.getSingleStringValueOrEmptyString(list, tag);
        } catch (IOException | DicomException e) {
            throw new IllegalArgumentException("not a DICOM Part 10 object", e);
        }
    }
}
