package io.scanenhancer.pacs;

import io.opentelemetry.context.Context;
import io.scanenhancer.pacs.PacsRetryPolicy.Operation;
import io.scanenhancer.pacs.PacsRetryPolicy.Rule;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Pacs whose every call follows a {@link PacsRetryPolicy}: each try within the operation's timeout, a transient
 * failure tried again after the rule's pause up to its tries, a refusal (or an interrupted caller) never.
 *
 * <p>Each try runs on a thread of {@code calls}, so the timeout holds even for a client that cannot be interrupted
 * (PixelMed's sockets have no read timeout): the caller gets its answer in time, and the stuck try is cancelled and
 * left to end on its own. A retrieve that is tried again writes into a subfolder of its own, so a try that was given
 * up on cannot mix its files with the next one's.
 */
public final class RetryingPacs implements Pacs {
    private static final Logger LOG = Logger.getLogger(RetryingPacs.class);

    /** Waits between tries; a test passes one that records instead of sleeping. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration pause) throws InterruptedException;
    }

    @FunctionalInterface
    private interface Call<T> {
        T call(int attempt) throws PacsException;
    }

    private final Pacs delegate;
    private final PacsRetryPolicy policy;
    private final ExecutorService calls;
    private final Pause pause;

    /** @param calls runs the tries (see {@link #callThreads()}); its owner shuts it down */
    public RetryingPacs(Pacs delegate, PacsRetryPolicy policy, ExecutorService calls) {
        this(delegate, policy, calls, p -> Thread.sleep(p.toMillis()));
    }

    RetryingPacs(Pacs delegate, PacsRetryPolicy policy, ExecutorService calls, Pause pause) {
        this.delegate = delegate;
        this.policy = policy;
        this.calls = calls;
        this.pause = pause;
    }

    /** Daemon threads for the tries, created as needed: a stuck try must not keep the JVM alive. */
    public static ExecutorService callThreads() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "pacs-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<SeriesRef> findSeries(String study) throws PacsException {
        return call(Operation.FIND, n -> delegate.findSeries(study));
    }

    @Override
    public List<InstanceRef> findInstances(String study, String series) throws PacsException {
        return call(Operation.FIND, n -> delegate.findInstances(study, series));
    }

    @Override
    public Set<String> storedInstanceUids(String study, String series) throws PacsException {
        return call(Operation.FIND, n -> delegate.storedInstanceUids(study, series));
    }

    @Override
    public List<Path> retrieveTo(String study, String series, Path folder) throws PacsException {
        return call(Operation.RETRIEVE, n -> delegate.retrieveTo(study, series, n == 1 ? folder : subfolder(folder, n)));
    }

    @Override
    public void store(List<byte[]> objects) throws PacsException {
        call(Operation.STORE, n -> {
            delegate.store(objects); // idempotent: the same deterministic UIDs again
            return null;
        });
    }

    @Override
    public void ping() throws PacsException {
        call(Operation.PING, n -> {
            delegate.ping();
            return null;
        });
    }

    private <T> T call(Operation operation, Call<T> call) throws PacsException {
        Rule rule = policy.rule(operation);
        String what = operation.name().toLowerCase();
        for (int n = 1; ; n++) {
            try {
                return once(rule.timeout(), what, call, n);
            } catch (PacsException e) {
                if (!e.transientFailure() || n >= rule.tries() || Thread.currentThread().isInterrupted()) {
                    throw n == 1 ? e : new PacsException(e.getMessage() + " (" + n + " tries)", e.transientFailure(), e);
                }
                LOG.debugf("%s: %s try %d of %d failed, trying again: %s", name(), what, n, rule.tries(), e.getMessage());
                try {
                    pause.sleep(rule.pauseBefore(n + 1));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new PacsException(name() + ": " + what + " interrupted", true, interrupted);
                }
            }
        }
    }

    private <T> T once(Duration timeout, String what, Call<T> call, int attempt) throws PacsException {
        // the try runs on another thread: the caller's span (the job's retrieve, store...) goes with it
        Future<T> f = calls.submit(Context.current().wrap((Callable<T>) () -> call.call(attempt)));
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new PacsException(name() + ": " + what + " timed out after " + seconds(timeout), true, e);
        } catch (InterruptedException e) {
            f.cancel(true); // the caller is shutting down: the try ends with it
            Thread.currentThread().interrupt();
            throw new PacsException(name() + ": " + what + " interrupted", true, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PacsException p) {
                throw p;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static Path subfolder(Path folder, int attempt) {
        try {
            return Files.createDirectories(folder.resolve("try-" + attempt));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for a retried retrieve", e);
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
