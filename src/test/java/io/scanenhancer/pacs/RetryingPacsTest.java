package io.scanenhancer.pacs;

import io.scanenhancer.pacs.PacsRetryPolicy.Rule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PACS retry policy: tries counted, pauses as stated, time bounded by the timeouts, refusals never repeated. */
class RetryingPacsTest {
    private static final PacsRetryPolicy POLICY = PacsRetryPolicy.defaults();
    private final ExecutorService calls = RetryingPacs.callThreads();
    /** The pauses the policy asked for, instead of sleeping them. */
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @TempDir
    Path temp;

    @AfterEach
    void stop() {
        calls.shutdownNow();
    }

    private RetryingPacs retrying(Pacs pacs, PacsRetryPolicy policy) {
        return new RetryingPacs(pacs, policy, calls, pauses::add);
    }

    @Test
    void aQueryFailingTransientlyIsTriedAgainWithDoublingPauses() throws Exception {
        InMemoryPacs pacs = new InMemoryPacs("p").failNext(2, true);
        assertEquals(List.of(), retrying(pacs, POLICY).findSeries("1.2.3"));
        assertEquals(3, pacs.calls("findSeries"));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), pauses);
    }

    @Test
    void aQueryStillFailingAfterItsTriesFailsTransientlyAndSaysHowOftenItWasTried() {
        InMemoryPacs pacs = new InMemoryPacs("p").failNext(10, true);
        PacsException e = assertThrows(PacsException.class, () -> retrying(pacs, POLICY).storedInstanceUids("1.2", "1.2.3"));
        assertTrue(e.transientFailure());
        assertEquals("p: storedInstanceUids could not connect (3 tries)", e.getMessage());
        assertEquals(3, pacs.calls("storedInstanceUids"));
        assertEquals(2, pauses.size());
    }

    @Test
    void aRefusalIsNeverTriedAgain() {
        InMemoryPacs pacs = new InMemoryPacs("p").failNext(10, false);
        RetryingPacs r = retrying(pacs, POLICY);
        PacsException e = assertThrows(PacsException.class, () -> r.store(List.of()));
        assertFalse(e.transientFailure());
        assertEquals("p: store refused (HTTP 400)", e.getMessage());
        assertThrows(PacsException.class, () -> r.findInstances("1.2", "1.2.3"));
        assertEquals(1, pacs.calls("store"));
        assertEquals(1, pacs.calls("findInstances"));
        assertEquals(List.of(), pauses);
    }

    @Test
    void aPingIsTriedOnceAndAStoreTwice() {
        InMemoryPacs pacs = new InMemoryPacs("p").failNext(10, true);
        RetryingPacs r = retrying(pacs, POLICY);
        assertThrows(PacsException.class, r::ping);
        assertThrows(PacsException.class, () -> r.store(List.of()));
        assertEquals(1, pacs.calls("ping"));
        assertEquals(2, pacs.calls("store"));
        assertEquals(List.of(Duration.ofSeconds(2)), pauses);
    }

    @Test
    void aRetriedRetrieveWritesIntoAFolderOfItsOwn() throws Exception {
        InMemoryPacs pacs = new InMemoryPacs("p").failNext(1, true);
        assertEquals(List.of(), retrying(pacs, POLICY).retrieveTo("1.2", "1.2.3", temp));
        assertEquals(2, pacs.calls("retrieveTo"));
        assertTrue(Files.isDirectory(temp.resolve("try-2")));
    }

    @Test
    void aPacsThatNeverAnswersCostsNoMoreThanTheRuleAllows() throws Exception {
        Rule find = new Rule(2, Duration.ofMillis(10), Duration.ofMillis(200));
        PacsRetryPolicy policy = new PacsRetryPolicy(POLICY.ping(), find, POLICY.retrieve(), POLICY.store());
        Silent silent = new Silent();
        long start = System.nanoTime();
        PacsException e = assertThrows(PacsException.class, () -> retrying(silent, policy).findSeries("1.2.3"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(e.transientFailure());
        assertEquals("silent: find timed out after 200 ms (2 tries)", e.getMessage());
        assertEquals(2, silent.calls.get());
        assertTrue(took.compareTo(Duration.ofMillis(400)) >= 0, "two tries of 200 ms: " + took);
        assertTrue(took.compareTo(find.worstCase().plusSeconds(2)) < 0, "bounded by the rule's worst case: " + took);
        assertTrue(silent.released.await(5, java.util.concurrent.TimeUnit.SECONDS), "the given-up try was cancelled");
    }

    @Test
    void theStatedWorstCasesFollowFromTheDefaults() {
        assertEquals(Duration.ofSeconds(10), POLICY.ping().worstCase());
        assertEquals(Duration.ofSeconds(3 * 30 + 1 + 2), POLICY.find().worstCase());
        assertEquals(Duration.ofMinutes(20).plusSeconds(2), POLICY.retrieve().worstCase());
        assertEquals(Duration.ofMinutes(10).plusSeconds(2), POLICY.store().worstCase());
    }

    /** A PACS that accepts the call and never answers (until the call is interrupted). */
    private static final class Silent implements Pacs {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch released = new CountDownLatch(2);

        private <T> T hang() throws PacsException {
            calls.incrementAndGet();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                released.countDown();
                Thread.currentThread().interrupt();
            }
            throw new PacsException("silent: interrupted", true);
        }

        @Override
        public String name() {
            return "silent";
        }

        @Override
        public List<SeriesRef> findSeries(String study) throws PacsException {
            return hang();
        }

        @Override
        public List<InstanceRef> findInstances(String study, String series) throws PacsException {
            return hang();
        }

        @Override
        public Set<String> storedInstanceUids(String study, String series) throws PacsException {
            return hang();
        }

        @Override
        public List<Path> retrieveTo(String study, String series, Path folder) throws PacsException {
            return hang();
        }

        @Override
        public void store(List<byte[]> objects) throws PacsException {
            hang();
        }

        @Override
        public void ping() throws PacsException {
            hang();
        }
    }
}
