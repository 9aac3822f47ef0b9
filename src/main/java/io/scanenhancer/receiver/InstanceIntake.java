package io.scanenhancer.receiver;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsException;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One received instance, from the Storage SCP or STOW-RS, taken in: its UIDs read (the header only, up to the pixel
 * data), stored into the forward-to PACS when one is configured, then recorded by the tracker. Returns only when all
 * of that is done, so that the sender's acknowledgement means the study will be requested.
 */
final class InstanceIntake {
    private final StudyStabilityTracker tracker;
    /** Null: requests name the sender's PACS, which holds the images. */
    private final Pacs forwardTo;

    InstanceIntake(StudyStabilityTracker tracker, Pacs forwardTo) {
        this.tracker = tracker;
        this.forwardTo = forwardTo;
    }

    /** The UIDs of one instance and the facts of its series that routing rules look at. */
    record Uids(String study, String series, String sop, String sopClass, SeriesFacts facts) {
    }

    /** A received Part 10 file (the Storage SCP's); the caller deletes it. */
    Uids accept(Path part10, String senderPacs) throws IOException, RefusedInstanceException {
        Uids uids;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(part10))) {
            uids = uids(in);
        }
        // read again only to forward: without forward-to nothing but the header is ever read
        return accept(uids, forwardTo == null ? null : Files.readAllBytes(part10), senderPacs);
    }

    /** A Part 10 object in memory (a STOW-RS part). */
    Uids accept(byte[] part10, String senderPacs) throws IOException, RefusedInstanceException {
        return accept(uids(new ByteArrayInputStream(part10)), part10, senderPacs);
    }

    private Uids accept(Uids uids, byte[] bytes, String senderPacs) throws RefusedInstanceException {
        String source = senderPacs;
        if (forwardTo != null) {
            try {
                forwardTo.store(List.of(bytes));
            } catch (PacsException e) {
                throw new RefusedInstanceException("forward to " + forwardTo.name() + " failed: " + e.getMessage(), e);
            }
            source = forwardTo.name();
        }
        tracker.arrived(uids.study(), uids.series(), uids.sop(), source, uids.facts());
        return uids;
    }

    static Uids uids(InputStream in) throws IOException, RefusedInstanceException {
        AttributeList list = new AttributeList();
        try {
            list.read(new DicomInputStream(in), TagFromName.PixelData);
        } catch (DicomException e) {
            throw new RefusedInstanceException("not a DICOM object: " + e.getMessage(), e);
        }
        return new Uids(required(list, TagFromName.StudyInstanceUID, "Study Instance UID"),
                required(list, TagFromName.SeriesInstanceUID, "Series Instance UID"),
                required(list, TagFromName.SOPInstanceUID, "SOP Instance UID"),
                required(list, TagFromName.SOPClassUID, "SOP Class UID"), facts(list));
    }

    private static SeriesFacts facts(AttributeList list) {
        String[] imageType;
        try {
            Attribute a = list.get(TagFromName.ImageType);
            imageType = a == null ? new String[0] : a.getStringValues();
        } catch (DicomException e) {
            imageType = new String[0];
        }
        return new SeriesFacts(text(list, TagFromName.Modality), text(list, TagFromName.SeriesDescription),
                text(list, TagFromName.BodyPartExamined),
                Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0),
                Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0),
                imageType.length > 0 && "ORIGINAL".equals(imageType[0].trim()), 1);
    }

    private static String text(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }

    private static String required(AttributeList list, AttributeTag tag, String name) throws RefusedInstanceException {
        String v = Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
        if (v.isEmpty()) {
            throw new RefusedInstanceException("the object has no " + name, null);
        }
        return v;
    }

    /** An instance the receiver does not take: the sender is told it failed. The message carries no patient data. */
    static final class RefusedInstanceException extends Exception {
        RefusedInstanceException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
