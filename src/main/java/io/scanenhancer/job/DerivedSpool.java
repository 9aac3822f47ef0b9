package io.scanenhancer.job;

import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * Derived objects wait here, on disk, until the whole study is enhanced: memory stays bounded by the batch while
 * nothing reaches the target PACS before every series succeeded (per-study atomicity).
 */
final class DerivedSpool implements AutoCloseable {
    private final Path dir;
    private final List<Path> files = new ArrayList<>();
    private final List<Integer> frames = new ArrayList<>();

    private DerivedSpool(Path dir) {
        this.dir = dir;
    }

    static DerivedSpool create() {
        try {
            return new DerivedSpool(Files.createTempDirectory("scan-enhancer-spool"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the spool folder for derived objects", e);
        }
    }

    void add(byte[] part10, int frameCount) {
        Path f = dir.resolve(String.format("%06d.dcm", files.size()));
        try {
            Files.write(f, part10);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool a derived object", e);
        }
        files.add(f);
        frames.add(frameCount);
    }

    int size() {
        return files.size();
    }

    /** Stores in the order added, at most {@code batch} objects per call; reports stored frames after each call. */
    void storeTo(Pacs target, int batch, IntConsumer storedFrames) throws PacsException {
        for (int from = 0; from < files.size(); from += batch) {
            int to = Math.min(files.size(), from + batch);
            List<byte[]> chunk = new ArrayList<>(to - from);
            int chunkFrames = 0;
            for (int i = from; i < to; i++) {
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
    }

    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless; the OS cleans it
        }
    }
}
