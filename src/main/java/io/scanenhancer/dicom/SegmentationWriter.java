package io.scanenhancer.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.ShortTextAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UnsignedShortAttribute;
import com.pixelmed.utils.ColorUtilities;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The paired segmentation of a synthetic series: one DICOM Segmentation object (PS3.3 A.51, Segmentation Storage),
 * BINARY, one segment per tissue present, one frame per segment and slice where that segment has a pixel. It shares
 * the images' patient, study and Frame of Reference; each frame carries its Plane Position and the image it segments
 * (Derivation Image Sequence, Source Image Sequence); the Referenced Series Sequence names the image series; the
 * dimensions are (Referenced Segment Number, Image Position (Patient)).
 *
 * <p>Written here with PixelMed's AttributeList: PixelMed 20220618's own converter (IndexedLabelMapToSegmentation)
 * works file to file from one reference image with random UIDs and a fixed MANUAL algorithm type, which fits neither
 * a request that must give the same bytes twice nor an automatic, per-slice derivation.
 *
 * <p>Content Date and Time are Type 1 in the Multi-frame Functional Groups module; a synthetic study has no date, so
 * they hold the fixed {@value #CONTENT_DATE} {@value #CONTENT_TIME} (which also keeps the bytes a function of the
 * request), and Content Description says so.
 */
public final class SegmentationWriter {
    static final String CONTENT_DATE = "20000101", CONTENT_TIME = "000000";
    public static final String SERIES_DESCRIPTION = "SYNTHETIC TISSUE SEGMENTATION - NOT REAL PATIENT DATA";
    // PixelMed 20220618's dictionary lacks these (ST, LO, CS)
    static final AttributeTag SEGMENT_DESCRIPTION = new AttributeTag(0x0062, 0x0006);
    static final AttributeTag SEGMENT_ALGORITHM_NAME = new AttributeTag(0x0062, 0x0009);
    static final AttributeTag SEGMENTS_OVERLAP = new AttributeTag(0x0062, 0x0013);
    static final String[] SOURCE_IMAGE_PURPOSE = {"121322", "DCM", "Source image for image processing operation"};
    static final String[] SEGMENTATION_DERIVATION = {"113076", "DCM", "Segmentation"};

    private SegmentationWriter() {
    }

    /** A coded concept (code value, coding scheme designator, code meaning). */
    public record Code(String value, String scheme, String meaning) {
    }

    /**
     * @param labelValue    the value that marks this segment in the label slices
     * @param rgb           recommended display colour, 0xRRGGBB
     * @param algorithmName what made it (Segment Algorithm Name; the type is AUTOMATIC)
     */
    public record Segment(int labelValue, String label, String description, Code category, Code type, int rgb,
                         String algorithmName) {
    }

    /**
     * @param images       the image series it segments (its UIDs, geometry and equipment)
     * @param segments     in Segment Number order; segments with no pixel in any slice are left out
     * @param labelSlices  one label map per image, rows x columns, same order as the images
     * @param description  what the labels are and how they were made (Content Description: its first 64 characters)
     */
    public static DerivedObject write(SyntheticSeriesWriter.Series images, List<Segment> segments, List<byte[]> labelSlices,
                                      String description) {
        if (labelSlices.size() != images.images().size()) {
            throw new IllegalArgumentException(labelSlices.size() + " label slices for " + images.images().size() + " images");
        }
        List<Segment> present = segments.stream().filter(s -> labelSlices.stream().anyMatch(l -> contains(l, s.labelValue()))).toList();
        if (present.isEmpty()) {
            throw new IllegalArgumentException("no segment has a pixel in any slice");
        }
        String seriesUid = DerivedUids.uid(images.uidRoot(), "synthetic-seg-series", images.generator().id(), images.generator().version(), images.requestKey());
        String instanceUid = DerivedUids.uid(images.uidRoot(), "synthetic-seg-instance", images.generator().id(), images.generator().version(), images.requestKey());
        String dimensionUid = DerivedUids.uid(images.uidRoot(), "synthetic-seg-dimensions", images.generator().id(), images.generator().version(), images.requestKey());
        AttributeList a = new AttributeList();
        try {
            Dicom.put(a, TagFromName.SOPClassUID, SOPClass.SegmentationStorage);
            Dicom.put(a, TagFromName.SOPInstanceUID, instanceUid);
            Dicom.put(a, TagFromName.SpecificCharacterSet, "ISO_IR 100");
            SyntheticSeriesWriter.putPatientStudyAndFrame(a, images);
            Dicom.put(a, TagFromName.Modality, "SEG");
            Dicom.put(a, TagFromName.SeriesInstanceUID, seriesUid);
            Dicom.put(a, TagFromName.SeriesNumber, "2");
            Dicom.put(a, TagFromName.SeriesDescription, SERIES_DESCRIPTION);
            Dicom.put(a, TagFromName.BodyPartExamined, "HEAD");
            SyntheticSeriesWriter.putEquipment(a, images);
            Dicom.put(a, TagFromName.DeviceSerialNumber, Dicom.fit(images.generator().id() + "-" + images.generator().version(), 64));
            // Segmentation Image
            Dicom.put(a, TagFromName.InstanceNumber, "1");
            Dicom.put(a, TagFromName.ImageType, "DERIVED", "PRIMARY");
            Dicom.put(a, TagFromName.ContentLabel, "TISSUE_LABELS");
            Dicom.put(a, TagFromName.ContentDescription, Dicom.fit(description, 64));
            Dicom.put(a, TagFromName.ImageComments, Dicom.fit("SYNTHETIC SEGMENTATION of a synthetic image series: " + description
                    + ". Content Date and Time " + CONTENT_DATE + " " + CONTENT_TIME + " are placeholders (synthetic data has no date). "
                    + (images.note() == null ? "" : images.note() + " ") + "Not a real person. NOT FOR DIAGNOSTIC USE.", 10240));
            Dicom.put(a, TagFromName.ContentCreatorName);
            Dicom.put(a, TagFromName.ContentDate, CONTENT_DATE);
            Dicom.put(a, TagFromName.ContentTime, CONTENT_TIME);
            Dicom.put(a, TagFromName.SamplesPerPixel, "1");
            Dicom.put(a, TagFromName.PhotometricInterpretation, "MONOCHROME2");
            Dicom.put(a, TagFromName.Rows, Integer.toString(images.rows()));
            Dicom.put(a, TagFromName.Columns, Integer.toString(images.columns()));
            Dicom.put(a, TagFromName.BitsAllocated, "1");
            Dicom.put(a, TagFromName.BitsStored, "1");
            Dicom.put(a, TagFromName.HighBit, "0");
            Dicom.put(a, TagFromName.PixelRepresentation, "0");
            Dicom.put(a, TagFromName.LossyImageCompression, "00");
            Dicom.put(a, TagFromName.BurnedInAnnotation, "NO");
            Dicom.put(a, TagFromName.SegmentationType, "BINARY");
            code(a, SEGMENTS_OVERLAP, "NO");
            putSegments(a, present);
            putDimensions(a, dimensionUid);
            putReferencedSeries(a, images);
            int frames = putFrames(a, images, present, labelSlices);
            Dicom.put(a, TagFromName.NumberOfFrames, Integer.toString(frames));
            FileMetaInformation.addFileMetaInformation(a, TransferSyntaxes.EXPLICIT_LE, "SCANENHANCER");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.write(bytes, TransferSyntaxes.EXPLICIT_LE, true, true);
            return new DerivedObject(seriesUid, instanceUid, bytes.toByteArray());
        } catch (DicomException | IOException e) {
            throw new IllegalStateException("could not write the segmentation " + instanceUid + ": " + e.getMessage(), e);
        }
    }

    private static void putSegments(AttributeList a, List<Segment> segments) throws DicomException {
        var seq = Dicom.sequence(a, TagFromName.SegmentSequence);
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            AttributeList item = new AttributeList();
            Attribute number = new UnsignedShortAttribute(TagFromName.SegmentNumber);
            number.addValue(i + 1);
            item.put(number);
            Dicom.put(item, TagFromName.SegmentLabel, Dicom.fit(s.label(), 64));
            ShortTextAttribute description = new ShortTextAttribute(SEGMENT_DESCRIPTION);
            description.addValue(Dicom.fit(s.description(), 1024));
            item.put(description);
            code(item, TagFromName.SegmentAlgorithmType, "AUTOMATIC");
            longString(item, SEGMENT_ALGORITHM_NAME, Dicom.fit(s.algorithmName(), 64));
            Dicom.sequence(item, TagFromName.SegmentedPropertyCategoryCodeSequence,
                    Dicom.code(s.category().value(), s.category().scheme(), s.category().meaning()));
            Dicom.sequence(item, TagFromName.SegmentedPropertyTypeCodeSequence,
                    Dicom.code(s.type().value(), s.type().scheme(), s.type().meaning()));
            Attribute lab = new UnsignedShortAttribute(TagFromName.RecommendedDisplayCIELabValue);
            for (int v : ColorUtilities.getIntegerScaledCIELabPCSFromSRGB(new int[] {s.rgb() >> 16 & 0xff, s.rgb() >> 8 & 0xff, s.rgb() & 0xff})) {
                lab.addValue(v);
            }
            item.put(lab);
            seq.addItem(item);
        }
    }

    /** Frames are indexed by segment, then by position along the stack. */
    private static void putDimensions(AttributeList a, String dimensionUid) throws DicomException {
        AttributeList organisation = new AttributeList();
        Dicom.put(organisation, TagFromName.DimensionOrganizationUID, dimensionUid);
        Dicom.sequence(a, TagFromName.DimensionOrganizationSequence, organisation);
        code(a, TagFromName.DimensionOrganizationType, "3D");
        Dicom.sequence(a, TagFromName.DimensionIndexSequence,
                dimension(dimensionUid, TagFromName.ReferencedSegmentNumber, TagFromName.SegmentIdentificationSequence, "Segment"),
                dimension(dimensionUid, TagFromName.ImagePositionPatient, TagFromName.PlanePositionSequence, "Position"));
    }

    private static AttributeList dimension(String uid, AttributeTag index, AttributeTag group, String label) throws DicomException {
        AttributeList d = new AttributeList();
        Dicom.put(d, TagFromName.DimensionOrganizationUID, uid);
        AttributeTagAttribute pointer = new AttributeTagAttribute(TagFromName.DimensionIndexPointer);
        pointer.addValue(index);
        d.put(pointer);
        AttributeTagAttribute functionalGroup = new AttributeTagAttribute(TagFromName.FunctionalGroupPointer);
        functionalGroup.addValue(group);
        d.put(functionalGroup);
        Dicom.put(d, TagFromName.DimensionDescriptionLabel, label);
        return d;
    }

    private static void putReferencedSeries(AttributeList a, SyntheticSeriesWriter.Series images) {
        AttributeList series = new AttributeList();
        Dicom.put(series, TagFromName.SeriesInstanceUID, images.seriesUid());
        var instances = Dicom.sequence(series, TagFromName.ReferencedInstanceSequence);
        for (int i = 0; i < images.images().size(); i++) {
            AttributeList ref = new AttributeList();
            Dicom.put(ref, TagFromName.ReferencedSOPClassUID, SOPClass.MRImageStorage);
            Dicom.put(ref, TagFromName.ReferencedSOPInstanceUID, images.instanceUid(i));
            instances.addItem(ref);
        }
        Dicom.sequence(a, TagFromName.ReferencedSeriesSequence, series);
    }

    /** Shared and per-frame functional groups and the bit-packed Pixel Data; returns the number of frames. */
    private static int putFrames(AttributeList a, SyntheticSeriesWriter.Series images, List<Segment> segments,
                                 List<byte[]> labelSlices) throws DicomException {
        AttributeList measures = new AttributeList();
        Dicom.putDecimals(measures, TagFromName.PixelSpacing, images.pixelSpacingMm(), images.pixelSpacingMm());
        Dicom.putDecimals(measures, TagFromName.SliceThickness, images.sliceSpacingMm());
        Dicom.putDecimals(measures, TagFromName.SpacingBetweenSlices, images.sliceSpacingMm());
        AttributeList orientation = new AttributeList();
        Dicom.putDecimals(orientation, TagFromName.ImageOrientationPatient, 1, 0, 0, 0, 1, 0);
        AttributeList shared = new AttributeList();
        Dicom.sequence(shared, TagFromName.PixelMeasuresSequence, measures);
        Dicom.sequence(shared, TagFromName.PlaneOrientationSequence, orientation);
        Dicom.sequence(a, TagFromName.SharedFunctionalGroupsSequence, shared);

        int pixels = images.rows() * images.columns();
        var perFrame = Dicom.sequence(a, TagFromName.PerFrameFunctionalGroupsSequence);
        ByteArrayOutputStream bits = new ByteArrayOutputStream();
        int frames = 0, pending = 0, filled = 0;
        for (int s = 0; s < segments.size(); s++) {
            int value = segments.get(s).labelValue();
            for (int slice = 0; slice < labelSlices.size(); slice++) {
                byte[] labels = labelSlices.get(slice);
                if (!contains(labels, value)) {
                    continue;
                }
                perFrame.addItem(frame(images, s + 1, slice));
                frames++;
                // frames follow each other bit for bit, least significant bit first (PS3.5 8.1.1, 8.2)
                for (int p = 0; p < pixels; p++) {
                    if (labels[p] == value) {
                        pending |= 1 << filled;
                    }
                    if (++filled == 8) {
                        bits.write(pending);
                        pending = 0;
                        filled = 0;
                    }
                }
            }
        }
        if (filled > 0) {
            bits.write(pending);
        }
        byte[] packed = bits.toByteArray();
        if (packed.length % 2 == 1) {
            packed = java.util.Arrays.copyOf(packed, packed.length + 1);
        }
        OtherByteAttribute px = new OtherByteAttribute(TagFromName.PixelData);
        px.setValues(packed);
        a.put(px);
        return frames;
    }

    private static AttributeList frame(SyntheticSeriesWriter.Series images, int segmentNumber, int slice) throws DicomException {
        AttributeList item = new AttributeList();
        AttributeList content = new AttributeList();
        Attribute index = new com.pixelmed.dicom.UnsignedLongAttribute(TagFromName.DimensionIndexValues);
        index.addValue(segmentNumber);
        index.addValue(slice + 1);
        content.put(index);
        Dicom.sequence(item, TagFromName.FrameContentSequence, content);
        AttributeList position = new AttributeList();
        Dicom.putDecimals(position, TagFromName.ImagePositionPatient, images.topLeft()[0], images.topLeft()[1], images.sliceZ()[slice]);
        Dicom.sequence(item, TagFromName.PlanePositionSequence, position);
        AttributeList source = new AttributeList();
        Dicom.put(source, TagFromName.ReferencedSOPClassUID, SOPClass.MRImageStorage);
        Dicom.put(source, TagFromName.ReferencedSOPInstanceUID, images.instanceUid(slice));
        Dicom.sequence(source, TagFromName.PurposeOfReferenceCodeSequence,
                Dicom.code(SOURCE_IMAGE_PURPOSE[0], SOURCE_IMAGE_PURPOSE[1], SOURCE_IMAGE_PURPOSE[2]));
        AttributeList derivation = new AttributeList();
        Dicom.sequence(derivation, TagFromName.SourceImageSequence, source);
        Dicom.sequence(derivation, TagFromName.DerivationCodeSequence,
                Dicom.code(SEGMENTATION_DERIVATION[0], SEGMENTATION_DERIVATION[1], SEGMENTATION_DERIVATION[2]));
        Dicom.sequence(item, TagFromName.DerivationImageSequence, derivation);
        AttributeList segment = new AttributeList();
        Attribute ref = new UnsignedShortAttribute(TagFromName.ReferencedSegmentNumber);
        ref.addValue(segmentNumber);
        segment.put(ref);
        Dicom.sequence(item, TagFromName.SegmentIdentificationSequence, segment);
        return item;
    }

    static boolean contains(byte[] labels, int value) {
        for (byte b : labels) {
            if (b == value) {
                return true;
            }
        }
        return false;
    }

    private static void code(AttributeList a, AttributeTag tag, String value) throws DicomException {
        CodeStringAttribute c = new CodeStringAttribute(tag);
        c.addValue(value);
        a.put(c);
    }

    private static void longString(AttributeList a, AttributeTag tag, String value) throws DicomException {
        LongStringAttribute l = new LongStringAttribute(tag);
        l.addValue(value);
        a.put(l);
    }
}
