package io.scanenhancer.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.ClinicalTrialsAttributes;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniqueIdentifierAttribute;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * De-identification for exports to a research PACS: the PS3.15 Annex E Basic Application Level Confidentiality
 * Profile, applied by PixelMed's {@code ClinicalTrialsAttributes} (remove or empty the listed attributes, private
 * attributes removed, Patient Identity Removed YES, De-identification Method Code Sequence with 113100), with two
 * additions of ours:
 * <ul>
 *   <li>UIDs are replaced consistently across objects and runs: each is a hash of a project secret and the original,
 *       so the same study maps to the same new study UID in every export of that project, and only the project that
 *       holds the secret could link them back;</li>
 *   <li>Patient Name and ID are replaced by the project's pseudonym.</li>
 * </ul>
 * Pixel data is not inspected: burned-in text is out of scope (the enhancer accepts only CT/MR/SC grayscale, and
 * Burned In Annotation is carried).
 */
public final class Deidentifier {
    private static final String STANDARD_UID_PREFIX = "1.2.840.10008.";

    /**
     * @param uidSecret        project secret mixed into replacement UIDs (required; never logged)
     * @param pseudonym        replacement Patient Name and Patient ID, e.g. "RESEARCH-0042"
     * @param uidRoot          root of replacement UIDs; null for the 2.25 form
     * @param keepDescriptions retain Study/Series Description (Retain/Clean Descriptors option); off in the basic profile.
     *                         When off, derived objects still carry the fixed label "AI-enhanced NOT FOR DIAGNOSTIC USE".
     */
    public record Profile(String uidSecret, String pseudonym, String uidRoot, boolean keepDescriptions) {
        public Profile {
            if (uidSecret == null || uidSecret.length() < 16) {
                throw new IllegalArgumentException("uidSecret must be at least 16 characters");
            }
            if (pseudonym == null || pseudonym.isBlank() || pseudonym.length() > 64) {
                throw new IllegalArgumentException("pseudonym must be 1..64 characters");
            }
        }
    }

    private final Profile profile;

    public Deidentifier(Profile profile) {
        this.profile = profile;
    }

    /** De-identifies one Part 10 object; returns explicit VR little endian Part 10 bytes. */
    public byte[] apply(byte[] part10) throws RefusedInputException {
        DicomReading.Parsed headerOnly = DicomReading.readHeader(part10);
        AttributeList list = new AttributeList();
        try {
            list.setDecompressPixelData(false);
            byte[] dataset = headerOnly.dataset();
            list.read(new DicomInputStream(new ByteArrayInputStream(dataset, headerOnly.datasetStart(), dataset.length - headerOnly.datasetStart()),
                    headerOnly.parseSyntax(), false));
        } catch (IOException | DicomException | RuntimeException e) {
            throw new RefusedInputException(RefusedInputException.Category.NOT_DICOM, "not a readable DICOM data set (" + DicomReading.safe(e) + ")");
        }
        try {
            boolean derivedByUs = isDerivedByScanEnhancer(list);
            list.removeMetaInformationHeaderAttributes();
            list.removeGroupLengthAttributes();
            remapUids(list);
            ClinicalTrialsAttributes.removeOrNullIdentifyingAttributes(list,
                    ClinicalTrialsAttributes.HandleUIDs.keep,
                    profile.keepDescriptions(), profile.keepDescriptions(),
                    false, false, false, false,
                    ClinicalTrialsAttributes.HandleDates.remove, null, null,
                    ClinicalTrialsAttributes.HandleStructuredContent.remove);
            list.removePrivateAttributes();
            Dicom.put(list, TagFromName.PatientName, profile.pseudonym());
            Dicom.put(list, TagFromName.PatientID, profile.pseudonym());
            Dicom.put(list, TagFromName.PatientIdentityRemoved, "YES");
            if (derivedByUs && !profile.keepDescriptions()) {
                Dicom.put(list, TagFromName.SeriesDescription, "AI-enhanced NOT FOR DIAGNOSTIC USE");
            }
            String ts = headerOnly.transferSyntaxUid();
            String outTs = TransferSyntaxes.isNative(ts) || TransferSyntaxes.DEFLATED_LE.equals(ts) ? TransferSyntaxes.EXPLICIT_LE : ts;
            FileMetaInformation.addFileMetaInformation(list, outTs, "SCANENHANCER");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            list.write(out, outTs, true, true);
            return out.toByteArray();
        } catch (DicomException | IOException e) {
            throw new IllegalStateException("de-identification failed: " + e.getMessage(), e);
        }
    }

    /** The replacement for one UID under this profile (the same for every object and every run). */
    public String replacementUid(String originalUid) {
        return DerivedUids.remappedUid(profile.uidRoot(), profile.uidSecret(), originalUid);
    }

    private void remapUids(AttributeList list) throws DicomException {
        List<AttributeTag> tags = new ArrayList<>(list.keySet());
        for (AttributeTag tag : tags) {
            Attribute a = list.get(tag);
            if (a instanceof SequenceAttribute s) {
                Iterator<SequenceItem> items = s.iterator();
                while (items.hasNext()) {
                    remapUids(items.next().getAttributeList());
                }
            } else if (a instanceof UniqueIdentifierAttribute && !isClassOrSyntax(tag)) {
                String[] values = a.getStringValues();
                if (values == null || values.length == 0) {
                    continue;
                }
                UniqueIdentifierAttribute replaced = new UniqueIdentifierAttribute(tag);
                for (String v : values) {
                    String uid = v.strip();
                    replaced.addValue(uid.isEmpty() || uid.startsWith(STANDARD_UID_PREFIX) ? uid : replacementUid(uid));
                }
                list.put(replaced);
            }
        }
    }

    private static boolean isClassOrSyntax(AttributeTag tag) {
        return tag.equals(TagFromName.SOPClassUID) || tag.equals(TagFromName.ReferencedSOPClassUID)
                || tag.equals(TagFromName.MediaStorageSOPClassUID) || tag.equals(TagFromName.TransferSyntaxUID)
                || tag.equals(TagFromName.CodingSchemeUID) || tag.equals(TagFromName.ContextGroupExtensionCreatorUID)
                || tag.equals(new AttributeTag(0x0008, 0x0118)) || tag.equals(TagFromName.ImplementationClassUID);
    }

    private static boolean isDerivedByScanEnhancer(AttributeList list) {
        if (!(list.get(TagFromName.ContributingEquipmentSequence) instanceof SequenceAttribute s)) {
            return false;
        }
        for (int i = 0; i < s.getNumberOfItems(); i++) {
            if (DerivedImageWriter.MANUFACTURER.equals(Dicom.string(s.getItem(i).getAttributeList(), TagFromName.Manufacturer))) {
                return true;
            }
        }
        return false;
    }
}
