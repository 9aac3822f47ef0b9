package io.scanenhancer.receiver;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Calling AE titles set through the environment arrive in lower case; they still admit the sender. */
class AcceptedCallersTest {
    @Test
    void callingAeTitlesMatchIgnoringCase() {
        Map<String, String> m = StorageScp.acceptedCallers(Map.of("orthanc", "orthanc", "CT-SCANNER-1", "pacs2"));
        assertEquals("orthanc", m.get("ORTHANC"));
        assertEquals("pacs2", m.get("ct-scanner-1"));
        assertNull(m.get("OTHER"));
        assertThrows(IllegalArgumentException.class, () -> StorageScp.acceptedCallers(Map.of("ORTHANC", "a", "orthanc", "b")));
    }
}
