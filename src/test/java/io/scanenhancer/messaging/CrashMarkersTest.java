package io.scanenhancer.messaging;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** How a committed offset reads as the crash count of the record about to be attempted. */
class CrashMarkersTest {
    private static final String SELF = "this-process";

    @Test
    void noMarkerOrAnAnswersCommitIsNoCrash() {
        assertEquals(0, CrashMarkers.crashesBefore(null, 7, SELF));
        assertEquals(0, CrashMarkers.crashesBefore(new OffsetAndMetadata(7), 7, SELF), "the previous answer's commit");
        assertEquals(0, CrashMarkers.crashesBefore(new OffsetAndMetadata(7, "someone else's note"), 7, SELF));
    }

    @Test
    void aMarkerAtAnotherOffsetIsNotThisRecords() {
        assertEquals(0, CrashMarkers.crashesBefore(new OffsetAndMetadata(6, CrashMarkers.encode(2, "dead")), 7, SELF));
    }

    @Test
    void anotherProcesssMarkerMeansItDiedDuringItsAttempt() {
        assertEquals(3, CrashMarkers.crashesBefore(new OffsetAndMetadata(7, CrashMarkers.encode(2, "dead")), 7, SELF));
    }

    @Test
    void ownOrReleasedMarkersCountNoNewCrash() {
        assertEquals(2, CrashMarkers.crashesBefore(new OffsetAndMetadata(7, CrashMarkers.encode(2, SELF)), 7, SELF));
        assertEquals(2, CrashMarkers.crashesBefore(new OffsetAndMetadata(7, CrashMarkers.encode(2, CrashMarkers.NOBODY)),
                7, SELF), "let go at shutdown, alive");
    }

    @Test
    void aMalformedMarkerIsIgnored() {
        assertNull(CrashMarkers.decode("scan-enhancer-attempt/v1;crashes=x;owner=a"));
        assertNull(CrashMarkers.decode("scan-enhancer-attempt/v1;crashes=1"));
        assertEquals(new CrashMarkers.Marker(1, "a"), CrashMarkers.decode(CrashMarkers.encode(1, "a")));
    }
}
