package io.scanenhancer.pacs;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.audit.AuditParticipant;
import io.scanenhancer.audit.AuditTrail;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A PACS client whose retrieves and stores leave an audit record (DICOM Instances Transferred): one per series
 * retrieved and one per store call and study, with the instance count and SOP class, success or failure. Wraps the
 * retrying client, so a call retried inside the policy is one record with the final outcome. Queries are not audited.
 */
public final class AuditedPacs implements Pacs {
    private final Pacs delegate;
    private final AuditParticipant peer;
    private final AuditTrail audit;

    public AuditedPacs(Pacs delegate, AuditParticipant peer, AuditTrail audit) {
        this.delegate = delegate;
        this.peer = peer;
        this.audit = audit;
    }

    /** The PACS as an audit participant: its AE title or DICOMweb URL, its host, its configured name. */
    public static AuditParticipant participant(PacsSettings settings) {
        if (settings instanceof PacsSettings.DicomWeb w) {
            return new AuditParticipant(w.baseUrl().toString(), w.name(), false, w.baseUrl().getHost(), null);
        }
        PacsSettings.Dimse d = (PacsSettings.Dimse) settings;
        return new AuditParticipant(d.calledAeTitle(), d.name(), false, d.host(), null);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<SeriesRef> findSeries(String studyInstanceUid) throws PacsException {
        return delegate.findSeries(studyInstanceUid);
    }

    @Override
    public List<InstanceRef> findInstances(String studyInstanceUid, String seriesInstanceUid) throws PacsException {
        return delegate.findInstances(studyInstanceUid, seriesInstanceUid);
    }

    @Override
    public Set<String> storedInstanceUids(String studyInstanceUid, String seriesInstanceUid) throws PacsException {
        return delegate.storedInstanceUids(studyInstanceUid, seriesInstanceUid);
    }

    @Override
    public List<Path> retrieveTo(String studyInstanceUid, String seriesInstanceUid, Path folder) throws PacsException {
        List<Path> files;
        try {
            files = delegate.retrieveTo(studyInstanceUid, seriesInstanceUid, folder);
        } catch (PacsException | RuntimeException e) {
            audit.studyRead(peer, studyInstanceUid, null, 0, e.getMessage());
            throw e;
        }
        if (!files.isEmpty()) {
            String sopClass = null;
            if (audit.enabled()) {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(files.get(0)))) {
                    sopClass = header(in).get(1);
                } catch (Exception e) {
                    // the record goes without the SOP class
                }
            }
            audit.studyRead(peer, studyInstanceUid, sopClass, files.size(), null);
        }
        return files;
    }

    @Override
    public void store(List<byte[]> part10Objects) throws PacsException {
        Map<List<String>, Integer> byStudyAndClass = new LinkedHashMap<>();
        if (audit.enabled()) {
            for (byte[] o : part10Objects) {
                byStudyAndClass.merge(header(new ByteArrayInputStream(o)), 1, Integer::sum);
            }
        }
        String failure = null;
        try {
            delegate.store(part10Objects);
        } catch (PacsException | RuntimeException e) {
            failure = e.getMessage();
            throw e;
        } finally {
            for (Map.Entry<List<String>, Integer> e : byStudyAndClass.entrySet()) {
                audit.objectsStored(peer, e.getKey().get(0), e.getKey().get(1), e.getValue(), failure);
            }
        }
    }

    @Override
    public void ping() throws PacsException {
        delegate.ping();
    }

    /** Study Instance UID and SOP Class UID of a Part 10 object (header only); nulls when it cannot be read. */
    private static List<String> header(InputStream in) {
        try {
            AttributeList l = new AttributeList();
            l.read(new DicomInputStream(in), TagFromName.PixelData);
            String study = Attribute.getSingleStringValueOrNull(l, TagFromName.StudyInstanceUID);
            String sopClass = Attribute.getSingleStringValueOrNull(l, TagFromName.SOPClassUID);
            return java.util.Arrays.asList(study, sopClass);
        } catch (Exception e) {
            return java.util.Arrays.asList(null, null);
        }
    }
}
