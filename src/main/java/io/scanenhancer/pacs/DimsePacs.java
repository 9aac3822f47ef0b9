package io.scanenhancer.pacs;

import io.scanenhancer.spool.PatientDataSpool;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.dicom.StoredFilePathStrategy;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.FindSOPClassSCU;
import com.pixelmed.network.GetSOPClassSCU;
import com.pixelmed.network.IdentifierHandler;
import com.pixelmed.network.MoveSOPClassSCU;
import com.pixelmed.network.MultipleInstanceTransferStatusHandler;
import com.pixelmed.network.ReceivedObjectHandler;
import com.pixelmed.network.StorageSOPClassSCPDispatcher;
import com.pixelmed.network.StorageSOPClassSCU;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DIMSE with PixelMed: C-FIND (study root) to find and to ping, C-GET or C-MOVE to retrieve, C-STORE to store.
 * Presentation contexts are built with compression level 0, i.e. they offer only uncompressed transfer syntaxes.
 */
public final class DimsePacs implements Pacs {
    private static final int NO_COMPRESSION = 0;
    private final PacsSettings.Dimse settings;
    /** The storage SCP of the previous C-MOVE; PixelMed closes its port up to 5 s after shutdown(). */
    private Thread previousMoveListener;

    public DimsePacs(PacsSettings.Dimse settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public List<SeriesRef> findSeries(String studyInstanceUid) throws PacsException {
        AttributeList query = new AttributeList();
        put(query, new CodeStringAttribute(TagFromName.QueryRetrieveLevel), "SERIES");
        put(query, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), studyInstanceUid);
        put(query, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), null);
        put(query, new CodeStringAttribute(TagFromName.Modality), null);
        put(query, new IntegerStringAttribute(TagFromName.NumberOfSeriesRelatedInstances), null);
        List<SeriesRef> found = new ArrayList<>();
        find(query, answer -> {
            String count = value(answer, TagFromName.NumberOfSeriesRelatedInstances);
            found.add(new SeriesRef(value(answer, TagFromName.SeriesInstanceUID), value(answer, TagFromName.Modality),
                    count == null || count.isBlank() ? -1 : Integer.parseInt(count.trim())));
        });
        return found;
    }

    @Override
    public List<InstanceRef> findInstances(String studyInstanceUid, String seriesInstanceUid) throws PacsException {
        AttributeList query = new AttributeList();
        put(query, new CodeStringAttribute(TagFromName.QueryRetrieveLevel), "IMAGE");
        put(query, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), studyInstanceUid);
        put(query, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), seriesInstanceUid);
        put(query, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), null);
        put(query, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), null);
        List<InstanceRef> found = new ArrayList<>();
        find(query, answer -> found.add(new InstanceRef(value(answer, TagFromName.SOPInstanceUID),
                value(answer, TagFromName.SOPClassUID))));
        return found;
    }

    @Override
    public Set<String> storedInstanceUids(String studyInstanceUid, String seriesInstanceUid) throws PacsException {
        AttributeList query = new AttributeList();
        put(query, new CodeStringAttribute(TagFromName.QueryRetrieveLevel), "IMAGE");
        put(query, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), studyInstanceUid);
        put(query, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), seriesInstanceUid);
        put(query, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), null);
        Set<String> found = Collections.synchronizedSet(new LinkedHashSet<>());
        find(query, answer -> {
            String sop = value(answer, TagFromName.SOPInstanceUID);
            if (sop != null && !sop.isEmpty()) {
                found.add(sop);
            }
        });
        return found;
    }

    @Override
    public List<Path> retrieveTo(String studyInstanceUid, String seriesInstanceUid, Path folder) throws PacsException {
        List<InstanceRef> instances = findInstances(studyInstanceUid, seriesInstanceUid);
        if (instances.isEmpty()) {
            return List.of();
        }
        Set<String> sopClasses = new LinkedHashSet<>();
        instances.forEach(i -> sopClasses.add(i.sopClassUid()));
        AttributeList identifier = new AttributeList();
        put(identifier, new CodeStringAttribute(TagFromName.QueryRetrieveLevel), "SERIES");
        put(identifier, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), studyInstanceUid);
        put(identifier, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), seriesInstanceUid);
        // PixelMed writes each object to a file as it arrives: the series is never held in memory
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        boolean complete = false;
        try {
            ReceivedObjectHandler collect = new ReceivedObjectHandler() {
                @Override
                public void sendReceivedObjectIndication(String fileName, String transferSyntax, String callingAe) {
                    received.add(fileName);
                }
            };
            if (settings.retrieve() == PacsSettings.Retrieve.C_MOVE) {
                cMove(identifier, folder.toFile(), collect);
            } else {
                new GetSOPClassSCU(settings.host(), settings.port(), settings.calledAeTitle(), settings.callingAeTitle(),
                        SOPClass.StudyRootQueryRetrieveInformationModelGet, identifier, new IdentifierHandler(),
                        folder.toFile(), StoredFilePathStrategy.BYSOPINSTANCEUIDINSINGLEFOLDER, collect,
                        sopClasses, true, false, false); // their choice among the uncompressed syntaxes we offer
            }
            if (received.size() != instances.size()) {
                throw new PacsException(name() + ": retrieved " + received.size() + " of " + instances.size()
                        + " instances", true);
            }
            complete = true;
            return received.stream().map(Path::of).toList();
        } catch (DicomNetworkException | DicomException | IOException e) {
            throw failure("retrieve", e);
        } finally {
            if (!complete) {
                received.forEach(f -> new File(f).delete());
            }
        }
    }

    private void cMove(AttributeList identifier, File folder, ReceivedObjectHandler collect)
            throws IOException, DicomException, DicomNetworkException, PacsException {
        if (settings.moveListenPort() <= 0) {
            throw new PacsException(name() + ": C-MOVE needs move-listen-port", false);
        }
        awaitPreviousListener(); // else a C-MOVE right after another finds the port still bound and fails
        StorageSOPClassSCPDispatcher scp = new StorageSOPClassSCPDispatcher(settings.moveListenPort(),
                settings.callingAeTitle(), folder, StoredFilePathStrategy.BYSOPINSTANCEUIDINSINGLEFOLDER, collect);
        Thread listener = new Thread(scp, "c-move-scp-" + name());
        listener.setDaemon(true);
        listener.start();
        previousMoveListener = listener;
        try {
            long deadline = System.currentTimeMillis() + 5000;
            while (!scp.isReady() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            MoveSOPClassSCU move = new MoveSOPClassSCU(settings.host(), settings.port(), settings.calledAeTitle(),
                    settings.callingAeTitle(), settings.callingAeTitle(),
                    SOPClass.StudyRootQueryRetrieveInformationModelMove, identifier);
            if (move.getStatus() != 0) {
                throw new PacsException(name() + ": C-MOVE ended with status 0x" + Integer.toHexString(move.getStatus()), true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PacsException(name() + ": C-MOVE interrupted", true, e);
        } finally {
            scp.shutdown();
        }
    }

    private synchronized void awaitPreviousListener() throws PacsException {
        Thread previous = previousMoveListener;
        if (previous == null) {
            return;
        }
        try {
            previous.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PacsException(name() + ": C-MOVE interrupted", true, e);
        }
    }

    @Override
    public void store(List<byte[]> part10Objects) throws PacsException {
        if (part10Objects.isEmpty()) {
            return;
        }
        Path folder = null;
        try {
            folder = PatientDataSpool.newFolder("cstore");
            SetOfDicomFiles files = new SetOfDicomFiles();
            for (int i = 0; i < part10Objects.size(); i++) {
                Path file = folder.resolve(i + ".dcm");
                Files.write(file, part10Objects.get(i));
                files.add(file.toFile());
            }
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger completed = new AtomicInteger();
            MultipleInstanceTransferStatusHandler status = new MultipleInstanceTransferStatusHandler() {
                @Override
                public void updateStatus(int remaining, int done, int failures, int warnings, String sopInstanceUid) {
                    completed.set(done + warnings);
                    failed.set(failures);
                }
            };
            StorageSOPClassSCU scu = new StorageSOPClassSCU(settings.host(), settings.port(), settings.calledAeTitle(),
                    settings.callingAeTitle(), files, NO_COMPRESSION, status);
            if (scu.encounteredTrappedExceptions() || failed.get() > 0 || completed.get() != part10Objects.size()) {
                throw new PacsException(name() + ": C-STORE stored " + completed.get() + " of " + part10Objects.size()
                        + " objects (" + failed.get() + " refused)", failed.get() == 0);
            }
        } catch (IOException e) {
            throw failure("C-STORE", e);
        } finally {
            PatientDataSpool.delete(folder);
        }
    }

    /**
     * A study-level C-FIND for a study that does not exist. C-ECHO proved nothing: Orthanc answers it for any calling AE
     * title (DicomAlwaysAllowEcho), so a service whose AE title the PACS does not know passed readiness and then failed
     * every request. A query must be accepted as one, and matching nothing costs the PACS nothing.
     */
    @Override
    public void ping() throws PacsException {
        AttributeList query = new AttributeList();
        put(query, new CodeStringAttribute(TagFromName.QueryRetrieveLevel), "STUDY");
        put(query, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), NO_SUCH_STUDY);
        find(query, answer -> {
        });
    }

    /** A UID no study has: 2.25 with the 128-bit value 0 (PS3.5 B.2). */
    static final String NO_SUCH_STUDY = "2.25.0";

    private interface AnswerHandler {
        void accept(AttributeList answer) throws DicomException;
    }

    private void find(AttributeList query, AnswerHandler handler) throws PacsException {
        try {
            new FindSOPClassSCU(settings.host(), settings.port(), settings.calledAeTitle(), settings.callingAeTitle(),
                    SOPClass.StudyRootQueryRetrieveInformationModelFind, query, new IdentifierHandler() {
                @Override
                public void doSomethingWithIdentifier(AttributeList answer) throws DicomException {
                    handler.accept(answer);
                }
            });
        } catch (DicomNetworkException | DicomException | IOException e) {
            throw failure("C-FIND", e);
        }
    }

    private PacsException failure(String what, Exception e) {
        // a refused association (unknown AE) is a configuration problem; connection problems are transient
        boolean transientFailure = e instanceof IOException || e.getCause() instanceof ConnectException;
        // PixelMed reports a refused or aborted association only as its PDU name: say what to check
        String hint = !transientFailure && e instanceof DicomNetworkException
                ? " (association refused or aborted: does '" + settings.calledAeTitle() + "' accept calling AE title '"
                        + settings.callingAeTitle() + "'?)" : "";
        return new PacsException(name() + ": " + what + " failed: " + e.getMessage() + hint, transientFailure, e);
    }

    private static void put(AttributeList list, Attribute attribute, String value) {
        if (value != null) {
            try {
                attribute.addValue(value);
            } catch (DicomException e) {
                throw new IllegalArgumentException(e);
            }
        }
        list.put(attribute);
    }

    private static String value(AttributeList list, AttributeTag tag) {
        String v = Attribute.getSingleStringValueOrNull(list, tag);
        return v == null ? null : v.trim();
    }
}
