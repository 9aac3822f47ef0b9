package io.scanenhancer.pacs;

/** An instance as the PACS lists it. */
public record InstanceRef(String sopInstanceUid, String sopClassUid) {
}
