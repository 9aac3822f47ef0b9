package io.scanenhancer.spool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real second process owns a spool folder: the sweep leaves it while that process lives and removes it, patient
 * data and all, once the process has been killed.
 */
class PatientDataSpoolTest {

    /** The other process: makes a folder with a file in it, says where, and waits to be killed. */
    public static final class Owner {
        public static void main(String[] args) throws Exception {
            PatientDataSpool.configure(Path.of(args[0]));
            Path folder = PatientDataSpool.newFolder("source");
            Files.writeString(folder.resolve("000001.dcm"), "stand-in for a retrieved object");
            System.out.println(folder);
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    /** Makes its process folder under each of ROOT/0 .. ROOT/N-1 in turn, with a file in it; prints how many it kept. */
    public static final class Maker {
        public static void main(String[] args) throws Exception {
            int n = Integer.parseInt(args[1]), kept = 0;
            for (int i = 0; i < n; i++) {
                PatientDataSpool.configure(Path.of(args[0], Integer.toString(i)));
                try {
                    Path folder = PatientDataSpool.newFolder("source");
                    Files.writeString(folder.resolve("000001.dcm"), "stand-in");
                    kept += Files.exists(folder.resolve("000001.dcm")) ? 1 : 0;
                } catch (RuntimeException | java.io.IOException e) {
                    System.out.println("lost: " + e);
                }
            }
            System.out.println("kept " + kept);
            System.out.flush();
        }
    }

    /**
     * Two processes on one spool root (two test JVMs, or two replicas on one host): one's start-up sweep runs while the
     * other makes its folder. Before folders were made under a staging name, the sweep could catch a new folder
     * before its lock file existed and delete it (seen as "cannot create the spool folder" in parallel test runs).
     */
    @Test
    void aSweepNeverRemovesAFolderAnotherProcessIsMaking(@TempDir Path root) throws Exception {
        int roots = 150;
        for (int i = 0; i < roots; i++) {
            Files.createDirectories(root.resolve(Integer.toString(i)));
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process maker = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Maker.class.getName(),
                root.toString(), Integer.toString(roots)).redirectErrorStream(true).start();
        try {
            while (maker.isAlive()) {
                for (int i = 0; i < roots && maker.isAlive(); i++) {
                    PatientDataSpool.configure(root.resolve(Integer.toString(i)));
                    PatientDataSpool.sweepAbandoned();
                }
            }
            String out = new String(maker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, maker.waitFor(), out);
            assertTrue(out.contains("kept " + roots), out);
        } finally {
            maker.destroyForcibly();
        }
    }

    @Test
    void folderOfAKilledProcessIsSweptAndALiveOneIsKept(@TempDir Path root) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process owner = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Owner.class.getName(),
                root.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
            Path ownersFolder = Path.of(out.readLine());
            Path processFolder = ownersFolder.getParent();
            assertTrue(Files.exists(ownersFolder.resolve("000001.dcm")));

            PatientDataSpool.configure(root);
            Path mine = PatientDataSpool.newFolder("derived");
            assertEquals(0, PatientDataSpool.sweepAbandoned(), "a live process's folder was swept");
            assertTrue(Files.exists(ownersFolder.resolve("000001.dcm")));

            owner.destroyForcibly();
            assertTrue(owner.waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, PatientDataSpool.sweepAbandoned());
            assertFalse(Files.exists(processFolder), "the killed process's patient data is still on disk");
            assertTrue(Files.isDirectory(mine), "the sweep removed this process's own folder");
            PatientDataSpool.delete(mine);
        } finally {
            owner.destroyForcibly();
        }
    }
}
