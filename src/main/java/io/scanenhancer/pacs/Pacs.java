package io.scanenhancer.pacs;

import io.scanenhancer.spool.PatientDataSpool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one port through which jobs reach a PACS. Implementations: {@link DicomWebPacs} (QIDO/WADO/STOW-RS) and
 * {@link DimsePacs} (C-FIND, C-GET or C-MOVE, C-STORE). All objects cross this port as DICOM Part 10 bytes.
 */
public interface Pacs {

    /** The configured name of this PACS (as used in requests). */
    String name();

    /** Series of a study; empty when the PACS does not know the study. */
    List<SeriesRef> findSeries(String studyInstanceUid) throws PacsException;

    /** Instances of one series; empty when unknown. */
    List<InstanceRef> findInstances(String studyInstanceUid, String seriesInstanceUid) throws PacsException;

    /**
     * SOP Instance UIDs of a series the PACS already holds (QIDO-RS for DICOMweb, C-FIND at IMAGE level for DIMSE);
     * empty when the series is unknown. Lets a redone request send only what is missing.
     */
    Set<String> storedInstanceUids(String studyInstanceUid, String seriesInstanceUid) throws PacsException;

    /**
     * Every instance of a series written into {@code folder} as Part 10 files, uncompressed (explicit VR little endian
     * where the PACS can); empty when the series is unknown. Nothing of the series is held in memory but the object
     * being received, so a job can go through a series of any size. The caller owns the files; on failure the files of
     * this call are removed again.
     */
    List<Path> retrieveTo(String studyInstanceUid, String seriesInstanceUid, Path folder) throws PacsException;

    /** Every instance of a series as Part 10 bytes in memory: for small series (previews, tests, tools). */
    default List<byte[]> retrieve(String studyInstanceUid, String seriesInstanceUid) throws PacsException {
        Path folder = null;
        try {
            folder = PatientDataSpool.newFolder("retrieve");
            List<byte[]> objects = new ArrayList<>();
            for (Path f : retrieveTo(studyInstanceUid, seriesInstanceUid, folder)) {
                objects.add(Files.readAllBytes(f));
                Files.delete(f);
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use a temporary folder for a retrieve", e);
        } finally {
            PatientDataSpool.delete(folder);
        }
    }

    /** Stores Part 10 objects; succeeds only when the PACS accepted every one of them. */
    void store(List<byte[]> part10Objects) throws PacsException;

    /** A cheap round trip used by the readiness check. */
    void ping() throws PacsException;
}
