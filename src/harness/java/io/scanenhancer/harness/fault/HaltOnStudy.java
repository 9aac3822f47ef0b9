package io.scanenhancer.harness.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A request that kills the service, for the quarantine test: a Java agent ({@code -javaagent:halt.jar=STUDY_UID}) that
 * halts the JVM at once, as an out-of-memory kill or a SIGKILL would (no shutdown hook, no commit, exit status 137),
 * when {@code serve} takes up a request for the given Study Instance UID.
 *
 * <p>Unreachable in production: it lives in the harness (compiled with the tests, never in target/quarkus-app or the
 * image), the service's code has no hook, flag or configuration key for it, and it acts only in a JVM started with
 * {@code -javaagent} naming the jar that {@link #writeAgentJar} builds in a test's temporary folder. A ServiceLoader
 * provider was not an option: Quarkus's runner class loader sees only the packaged application, so a provider on the
 * JVM class path could not implement a service interface of the application.
 *
 * <p>How it sees the request: the request dispatcher logs each request it takes up, naming the study, on the worker
 * thread before the job starts (the only line of that logger that names the study); a handler on that logger halts
 * inside the log call. It is attached when the dispatcher class loads (a class-load callback that changes no
 * bytecode), after Quarkus has set up its log manager: touching java.util.logging any earlier (even making a Handler)
 * would install the JDK's log manager instead.
 */
public final class HaltOnStudy implements ClassFileTransformer {
    /** Exit status of a SIGKILLed process (128 + 9), so that it looks the same to a supervisor. */
    public static final int EXIT_STATUS = 137;
    static final String DISPATCHER = "io.scanenhancer.messaging.RequestDispatcher";

    private final String studyUid;
    private final AtomicBoolean attached = new AtomicBoolean();

    private HaltOnStudy(String studyUid) {
        this.studyUid = studyUid;
    }

    public static void premain(String studyUid, Instrumentation instrumentation) {
        if (studyUid == null || studyUid.isBlank()) {
            throw new IllegalArgumentException("usage: -javaagent:halt.jar=<Study Instance UID>");
        }
        instrumentation.addTransformer(new HaltOnStudy(studyUid.trim()));
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
                            byte[] classfile) {
        if (DISPATCHER.replace('.', '/').equals(className) && attached.compareAndSet(false, true)) {
            Logger.getLogger(DISPATCHER).addHandler(new Halt(studyUid));
        }
        return null; // the class as it is
    }

    /** On the dispatcher's logger: halts inside the log call that names the study. */
    static final class Halt extends Handler {
        private final String studyUid;

        Halt(String studyUid) {
            this.studyUid = studyUid;
        }

        @Override
        public void publish(LogRecord record) {
            // the UID as a parameter, or in the message where the logging front end formatted it already (Quarkus's does)
            Object[] parameters = record.getParameters();
            boolean named = parameters != null ? Arrays.asList(parameters).contains(studyUid)
                    : record.getMessage() != null && record.getMessage().contains(studyUid);
            if (named) {
                System.err.println("HaltOnStudy: halting the JVM on a request for the poison study");
                System.err.flush();
                Runtime.getRuntime().halt(EXIT_STATUS);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** Writes the agent jar (its two classes and a manifest naming it) into {@code folder}; returns its path. */
    public static Path writeAgentJar(Path folder) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), HaltOnStudy.class.getName());
        Path jar = Files.createDirectories(folder).resolve("halt-on-study.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> c : List.of(HaltOnStudy.class, Halt.class)) {
                String entry = c.getName().replace('.', '/') + ".class";
                try (InputStream classfile = c.getClassLoader().getResourceAsStream(entry)) {
                    if (classfile == null) {
                        throw new IOException(entry + " not on the class path");
                    }
                    out.putNextEntry(new JarEntry(entry));
                    classfile.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return jar;
    }
}
