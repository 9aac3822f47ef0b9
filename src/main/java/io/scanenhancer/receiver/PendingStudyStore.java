package io.scanenhancer.receiver;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanenhancer.messaging.EventJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The receiver's durable state: one small JSON file per (study, sender), written before the sender is acknowledged,
 * so that a study whose request was not yet published survives a restart. File names are a hash of the key: nothing
 * about the study shows in a directory listing. Each write goes to a temporary file that is then renamed over the old
 * one, so a crash leaves either the old or the new state, never a torn file.
 */
final class PendingStudyStore {
    private static final String SUFFIX = ".study.json";
    private final Path dir;
    private final ObjectMapper json = EventJson.mapper();

    PendingStudyStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the receiver state folder " + dir, e);
        }
    }

    Path dir() {
        return dir;
    }

    /** Every study in the folder; files that cannot be read (a disk fault) are reported and left for a person. */
    List<PendingStudy> loadAll() {
        List<PendingStudy> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                try {
                    found.add(json.readValue(f.toFile(), PendingStudy.class));
                } catch (IOException e) {
                    throw new UncheckedIOException("unreadable receiver state " + f.getFileName()
                            + " (move it away to start without it)", e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the receiver state folder " + dir, e);
        }
        return found;
    }

    void save(PendingStudy study) {
        Path target = dir.resolve(fileName(study.studyInstanceUid(), study.sourcePacs()));
        try {
            Path tmp = Files.createTempFile(dir, ".writing-", ".tmp");
            try {
                Files.write(tmp, json.writeValueAsBytes(study));
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the receiver state of a study", e);
        }
    }

    void delete(PendingStudy study) {
        try {
            Files.deleteIfExists(dir.resolve(fileName(study.studyInstanceUid(), study.sourcePacs())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the receiver state of a study", e);
        }
    }

    static String fileName(String study, String sourcePacs) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((study + "\n" + sourcePacs).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16) + SUFFIX;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
