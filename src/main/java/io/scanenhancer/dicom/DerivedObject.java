package io.scanenhancer.dicom;

/** A derived DICOM object ready to be stored: its identity and its Part 10 bytes (explicit VR little endian). */
public record DerivedObject(String seriesInstanceUid, String sopInstanceUid, byte[] part10) {
}
