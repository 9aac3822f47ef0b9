package io.scanenhancer.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a synthetic study (one series) as MR Image objects (PS3.3 A.4), marked Synthetic Data = YES.
 *
 * <p>Why MR Image and not Secondary Capture with Conversion Type SYN: the stack is meant to be read as a volume,
 * and MR Image carries its geometry in mandatory modules (Frame of Reference, Image Plane), where Secondary Capture
 * has no Image Plane module at all; data-set pipelines select by Modality MR. The acquisition attributes that MR
 * Image requires say nothing that did not happen: Scanning Sequence RM (research mode), Sequence Variant NONE, and
 * the Type 2 timing attributes present and empty. Synthetic Data (0008,001C) = YES, Image Type DERIVED\SECONDARY,
 * the Contributing Equipment Sequence (Synthesizing Equipment, then the Modifying Equipment that upsampled it),
 * the Series Description and Image Comments say what the images are.
 *
 * <p>Nothing here is a real person's: the patient is fictitious and no dates are written at all, so the same
 * request yields the same bytes.
 */
public final class SyntheticSeriesWriter {
    /** DCM codes, CID 7005 Contributing Equipment Purposes of Reference. */
    static final String[] SYNTHESIZING_EQUIPMENT = {"109100", "DCM", "Synthesizing Equipment"};
    public static final String PATIENT_NAME = "SYNTHETIC^PHANTOM";
    public static final String SERIES_DESCRIPTION = "SYNTHETIC MR T1 - NOT REAL PATIENT DATA - NOT FOR DIAGNOSTIC USE";
    /** Stored value = round(value x this): the generator's 0..255 in 12 bits. */
    static final int STORED_PER_UNIT = 4;

    // PixelMed 20220618's dictionary lacks these, so they are made with their VR (CS) spelled out
    static final AttributeTag SYNTHETIC_DATA = new AttributeTag(0x0008, 0x001C);
    static final AttributeTag SCANNING_SEQUENCE = new AttributeTag(0x0018, 0x0020);
    static final AttributeTag SEQUENCE_VARIANT = new AttributeTag(0x0018, 0x0021);
    static final AttributeTag SCAN_OPTIONS = new AttributeTag(0x0018, 0x0022);

    private SyntheticSeriesWriter() {
    }

    private static void codeString(AttributeList a, AttributeTag tag, String... values) throws DicomException {
        CodeStringAttribute attribute = new CodeStringAttribute(tag);
        for (String v : values) {
            attribute.addValue(v);
        }
        a.put(attribute);
    }

    /**
     * A model that made the images: id, version and what it did.
     */
    public record Model(String id, String version, String contribution) {
    }

    /** Contributing Equipment purposes (CID 7005): made the content, or modified content made before. */
    public enum Purpose {
        SYNTHESIZING(SYNTHESIZING_EQUIPMENT), MODIFYING(DerivedImageWriter.MODIFYING_EQUIPMENT);

        final String[] code;

        Purpose(String[] code) {
            this.code = code;
        }
    }

    /** One item of the Contributing Equipment Sequence. */
    public record Equipment(Purpose purpose, Model model) {
    }

    /**
     * @param equipment       what made the images, in order; the first one's id and version enter the UIDs
     * @param requestKey      what identifies the request (seed, count, settings): the UIDs are functions of it
     * @param rows, columns   image size
     * @param pixelSpacingMm  in-plane spacing
     * @param sliceSpacingMm  distance between slice centres (also written as Slice Thickness)
     * @param topLeft         patient x, y (mm) of the first pixel centre, for every slice
     * @param sliceZ          patient z (mm) of each slice, one per image
     * @param images          pixel values 0..255, rows x columns, row-major, displayed orientation (row direction
     *                        patient left, column direction posterior)
     * @param seriesDescription at most 64 characters; says SYNTHETIC
     * @param note            added to Image Comments (e.g. that a renderer is a stand-in), or null
     */
    public record Series(List<Equipment> equipment, String requestKey, String uidRoot, int rows, int columns,
                         double pixelSpacingMm, double sliceSpacingMm, double[] topLeft, double[] sliceZ,
                         List<float[]> images, String seriesDescription, String note) {
        public Series {
            if (equipment.isEmpty()) {
                throw new IllegalArgumentException("a synthetic series names the equipment that made it");
            }
            if (images.isEmpty() || images.size() != sliceZ.length) {
                throw new IllegalArgumentException(images.size() + " images for " + sliceZ.length + " positions");
            }
            for (float[] img : images) {
                if (img.length != rows * columns) {
                    throw new IllegalArgumentException("image of " + img.length + " values, expected " + rows + "x" + columns);
                }
            }
            if (seriesDescription.length() > 64 || !seriesDescription.contains("SYNTHETIC")) {
                throw new IllegalArgumentException("series description must say SYNTHETIC in at most 64 characters: " + seriesDescription);
            }
            equipment = List.copyOf(equipment);
        }

        /** The generator path's series: a generator, optionally upsampled by a super-resolution model. */
        public Series(Model generator, Model upscaler, String requestKey, String uidRoot, int rows, int columns,
                      double pixelSpacingMm, double sliceSpacingMm, double[] topLeft, double[] sliceZ, List<float[]> images) {
            this(upscaler == null ? List.of(new Equipment(Purpose.SYNTHESIZING, generator))
                            : List.of(new Equipment(Purpose.SYNTHESIZING, generator), new Equipment(Purpose.MODIFYING, upscaler)),
                    requestKey, uidRoot, rows, columns, pixelSpacingMm, sliceSpacingMm, topLeft, sliceZ, images, SERIES_DESCRIPTION, null);
        }

        Model generator() {
            return equipment.get(0).model();
        }

        String studyUid() {
            return DerivedUids.uid(uidRoot, "synthetic-study", generator().id(), generator().version(), requestKey);
        }

        String seriesUid() {
            return DerivedUids.uid(uidRoot, "synthetic-series", generator().id(), generator().version(), requestKey);
        }

        String instanceUid(int index) {
            return DerivedUids.uid(uidRoot, "synthetic-instance", generator().id(), generator().version(), requestKey, Integer.toString(index));
        }

        String frameOfReferenceUid() {
            return DerivedUids.uid(uidRoot, "synthetic-frame-of-reference", generator().id(), generator().version(), requestKey);
        }

        /** A fictitious, obviously synthetic ID that differs between requests. */
        String patientId() {
            return "SYNTH-" + seriesUid().substring(seriesUid().length() - 10);
        }
    }

    public static String studyInstanceUid(Series s) {
        return s.studyUid();
    }

    public static String seriesInstanceUid(Series s) {
        return s.seriesUid();
    }

    /** One object per image, in slice order. */
    public static List<DerivedObject> write(Series s) {
        List<DerivedObject> out = new ArrayList<>(s.images().size());
        for (int i = 0; i < s.images().size(); i++) {
            out.add(writeOne(s, i));
        }
        return out;
    }

    private static DerivedObject writeOne(Series s, int i) {
        AttributeList a = new AttributeList();
        String instanceUid = s.instanceUid(i);
        try {
            Dicom.put(a, TagFromName.SOPClassUID, SOPClass.MRImageStorage);
            Dicom.put(a, TagFromName.SOPInstanceUID, instanceUid);
            Dicom.put(a, TagFromName.SpecificCharacterSet, "ISO_IR 100");
            putPatientStudyAndFrame(a, s);
            // Series, equipment
            Dicom.put(a, TagFromName.Modality, "MR");
            Dicom.put(a, TagFromName.SeriesInstanceUID, s.seriesUid());
            Dicom.put(a, TagFromName.SeriesNumber, "1");
            Dicom.put(a, TagFromName.SeriesDescription, s.seriesDescription());
            Dicom.put(a, TagFromName.BodyPartExamined, "HEAD");
            Dicom.put(a, TagFromName.PatientPosition, "HFS");
            putEquipment(a, s);
            // General Image, MR Image
            Dicom.put(a, TagFromName.InstanceNumber, Integer.toString(i + 1));
            Dicom.put(a, TagFromName.ImageType, "DERIVED", "SECONDARY", "OTHER");
            Dicom.put(a, TagFromName.BurnedInAnnotation, "NO");
            Dicom.put(a, TagFromName.LossyImageCompression, "00");
            Dicom.put(a, TagFromName.ImageComments, imageComments(s));
            codeString(a, SCANNING_SEQUENCE, "RM");
            codeString(a, SEQUENCE_VARIANT, "NONE");
            codeString(a, SCAN_OPTIONS);
            Dicom.put(a, TagFromName.MRAcquisitionType);
            Dicom.put(a, TagFromName.RepetitionTime);
            Dicom.put(a, TagFromName.EchoTime);
            Dicom.put(a, TagFromName.EchoTrainLength);
            // Image Plane: axial, rows toward patient left, columns toward posterior
            Dicom.putDecimals(a, TagFromName.PixelSpacing, s.pixelSpacingMm(), s.pixelSpacingMm());
            Dicom.putDecimals(a, TagFromName.ImageOrientationPatient, 1, 0, 0, 0, 1, 0);
            Dicom.putDecimals(a, TagFromName.ImagePositionPatient, s.topLeft()[0], s.topLeft()[1], s.sliceZ()[i]);
            Dicom.putDecimals(a, TagFromName.SliceThickness, s.sliceSpacingMm());
            Dicom.putDecimals(a, TagFromName.SpacingBetweenSlices, s.sliceSpacingMm());
            Dicom.putDecimals(a, TagFromName.SliceLocation, s.sliceZ()[i]);
            putPixels(a, s, s.images().get(i));
            FileMetaInformation.addFileMetaInformation(a, TransferSyntaxes.EXPLICIT_LE, "SCANENHANCER");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.write(bytes, TransferSyntaxes.EXPLICIT_LE, true, true);
            return new DerivedObject(s.seriesUid(), instanceUid, bytes.toByteArray());
        } catch (DicomException | IOException e) {
            throw new IllegalStateException("could not write synthetic instance " + instanceUid + ": " + e.getMessage(), e);
        }
    }

    /**
     * Synthetic Data, and the patient, study and frame of reference that every object of the study shares:
     * fictitious, and no dates (Type 2 attributes present and empty).
     */
    static void putPatientStudyAndFrame(AttributeList a, Series s) throws DicomException {
        codeString(a, SYNTHETIC_DATA, "YES");
        Dicom.put(a, TagFromName.PatientName, PATIENT_NAME);
        Dicom.put(a, TagFromName.PatientID, s.patientId());
        Dicom.put(a, TagFromName.PatientBirthDate);
        Dicom.put(a, TagFromName.PatientSex, "O");
        Dicom.put(a, TagFromName.StudyInstanceUID, s.studyUid());
        Dicom.put(a, TagFromName.StudyDate);
        Dicom.put(a, TagFromName.StudyTime);
        Dicom.put(a, TagFromName.ReferringPhysicianName);
        Dicom.put(a, TagFromName.StudyID, "SYNTH");
        Dicom.put(a, TagFromName.AccessionNumber);
        Dicom.put(a, TagFromName.StudyDescription, "SYNTHETIC MR HEAD - NOT REAL PATIENT DATA");
        Dicom.put(a, TagFromName.FrameOfReferenceUID, s.frameOfReferenceUid());
        Dicom.put(a, TagFromName.PositionReferenceIndicator);
    }

    /** General Equipment and the Contributing Equipment Sequence. */
    static void putEquipment(AttributeList a, Series s) {
        Dicom.put(a, TagFromName.Manufacturer, DerivedImageWriter.MANUFACTURER);
        Dicom.put(a, TagFromName.ManufacturerModelName, Dicom.fit(s.generator().id(), 64));
        Dicom.put(a, TagFromName.SoftwareVersions, Dicom.fit(s.generator().id(), 64), Dicom.fit(s.generator().version(), 64));
        putContributingEquipment(a, s);
    }

    static String imageComments(Series s) {
        StringBuilder text = new StringBuilder("SYNTHETIC IMAGE made by ");
        for (int i = 0; i < s.equipment().size(); i++) {
            Equipment e = s.equipment().get(i);
            text.append(i == 0 ? "" : e.purpose() == Purpose.MODIFYING ? ", upsampled by " : ", then ")
                    .append(e.model().id()).append(' ').append(e.model().version());
        }
        text.append(". ");
        if (s.note() != null) {
            text.append(s.note()).append(' ');
        }
        text.append("Not an image of a real person. NOT FOR DIAGNOSTIC USE.");
        return Dicom.fit(text.toString(), 10240);
    }

    private static void putPixels(AttributeList a, Series s, float[] values) throws DicomException {
        short[] words = new short[values.length];
        int max = (1 << 12) - 1;
        for (int p = 0; p < values.length; p++) {
            words[p] = (short) Math.max(0, Math.min(max, Math.round(values[p] * STORED_PER_UNIT)));
        }
        Dicom.put(a, TagFromName.Rows, Integer.toString(s.rows()));
        Dicom.put(a, TagFromName.Columns, Integer.toString(s.columns()));
        Dicom.put(a, TagFromName.SamplesPerPixel, "1");
        Dicom.put(a, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        Dicom.put(a, TagFromName.BitsAllocated, "16");
        Dicom.put(a, TagFromName.BitsStored, "12");
        Dicom.put(a, TagFromName.HighBit, "11");
        Dicom.put(a, TagFromName.PixelRepresentation, "0");
        Dicom.putDecimals(a, TagFromName.WindowCenter, 120 * STORED_PER_UNIT);
        Dicom.putDecimals(a, TagFromName.WindowWidth, 240 * STORED_PER_UNIT);
        OtherWordAttribute px = new OtherWordAttribute(TagFromName.PixelData);
        px.setValues(words);
        a.put(px);
    }

    private static void putContributingEquipment(AttributeList a, Series s) {
        var seq = Dicom.sequence(a, TagFromName.ContributingEquipmentSequence);
        for (Equipment e : s.equipment()) {
            seq.addItem(equipment(e.purpose().code, e.model(), s.uidRoot()));
        }
    }

    private static AttributeList equipment(String[] purpose, Model m, String uidRoot) {
        AttributeList item = new AttributeList();
        Dicom.sequence(item, TagFromName.PurposeOfReferenceCodeSequence, Dicom.code(purpose[0], purpose[1], purpose[2]));
        Dicom.put(item, TagFromName.Manufacturer, DerivedImageWriter.MANUFACTURER);
        Dicom.put(item, TagFromName.ManufacturerModelName, Dicom.fit(m.id(), 64));
        Dicom.put(item, TagFromName.SoftwareVersions, Dicom.fit(m.id(), 64), Dicom.fit(m.version(), 64));
        Dicom.put(item, TagFromName.DeviceUID, DerivedUids.uid(uidRoot, "device", m.id(), m.version()));
        Dicom.put(item, TagFromName.ContributionDescription, Dicom.fit(m.contribution(), 1024));
        return item;
    }
}
