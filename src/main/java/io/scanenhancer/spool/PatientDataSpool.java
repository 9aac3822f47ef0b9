package io.scanenhancer.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The one place on local disk where the service keeps patient data while a study is processed (retrieved objects,
 * derived objects waiting for the store, C-STORE batches). Each process works in a folder of its own under the root
 * and holds an OS file lock on it for as long as it lives; the kernel drops that lock when the process dies, however
 * it dies. {@link #sweepAbandoned()} therefore removes exactly the folders whose owner is gone: a killed process
 * leaves no patient data behind once any process using the same root has started again.
 */
public final class PatientDataSpool {
    /** Folder names under the root; nothing else there is ever touched. */
    static final String PROCESS_PREFIX = "scan-enhancer-";
    static final String LOCK_FILE = ".owner.lock";
    /** A process folder being made (empty, holds no patient data until renamed to its PROCESS_PREFIX name). */
    static final String STAGING_PREFIX = ".making-";

    private static Path root = Path.of(System.getProperty("java.io.tmpdir"), "scan-enhancer-spool");
    /** This process's folder under each root it has used, with the lock that marks it as owned (held for life). */
    private static final Map<Path, FileLock> OWN = new HashMap<>();

    private PatientDataSpool() {
    }

    /** Where new folders go from now on (the service sets it once at start-up, from configuration). */
    public static synchronized void configure(Path newRoot) {
        root = newRoot.toAbsolutePath();
    }

    public static synchronized Path root() {
        return root;
    }

    /** A new, empty folder in this process's part of the spool; the caller deletes it when done ({@link #delete}). */
    public static Path newFolder(String prefix) {
        try {
            return Files.createTempDirectory(ownFolder(), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder in the spool " + root, e);
        }
    }

    /**
     * Removes the folders of processes that no longer run (their lock is free). A live process's folder, this
     * process's included, stays.
     *
     * @return how many abandoned process folders were removed
     */
    public static synchronized int sweepAbandoned() {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> candidates;
        try (Stream<Path> s = Files.list(root.toAbsolutePath())) {
            candidates = s.filter(p -> p.getFileName().toString().startsWith(PROCESS_PREFIX) && Files.isDirectory(p)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the spool " + root, e);
        }
        int removed = 0;
        for (Path folder : candidates) {
            if (OWN.containsKey(folder) || ownedByLiveProcess(folder)) {
                continue;
            }
            delete(folder);
            removed++;
        }
        return removed;
    }

    /** Removes a folder and everything in it, as far as it can; what stays is swept at the next start. */
    public static void delete(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> s = Files.walk(folder)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a folder that could not be removed now is an abandoned one for the next sweep
        }
    }

    private static boolean ownedByLiveProcess(Path folder) {
        Path lockFile = folder.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held by this JVM
        } catch (IOException e) {
            return true; // cannot tell: keep it rather than delete a live job's data
        }
    }

    private static synchronized Path ownFolder() throws IOException {
        Path base = root.toAbsolutePath();
        for (Path folder : List.copyOf(OWN.keySet())) {
            if (folder.getParent().equals(base)) {
                if (Files.isDirectory(folder)) {
                    return folder;
                }
                OWN.remove(folder).channel().close(); // removed by hand: start a new one
            }
        }
        Files.createDirectories(base);
        // Made and locked under a name the sweep ignores, then renamed into view: another process's sweep never sees
        // a folder of ours without its lock held (the lock is on the open file, which the rename does not touch).
        String pid = Long.toString(ProcessHandle.current().pid());
        Path staging = Files.createTempDirectory(base, STAGING_PREFIX + pid + "-");
        FileChannel channel = FileChannel.open(staging.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock();
        Path folder = base.resolve(PROCESS_PREFIX + staging.getFileName().toString().substring(STAGING_PREFIX.length()));
        Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
        OWN.put(folder, lock);
        // No shutdown hook deletes it: on SIGTERM a study may still be finishing within the shutdown grace, and a
        // hook would pull its files away. Each job removes its own folders; what a dead process left, the next sweep does.
        return folder;
    }
}
