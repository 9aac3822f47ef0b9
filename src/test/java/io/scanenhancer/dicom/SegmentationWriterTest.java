package io.scanenhancer.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The DICOM Segmentation of a synthetic series: valid, tied to the images, and its bits are the labels. */
class SegmentationWriterTest {
    static final SegmentationWriter.Code CATEGORY = new SegmentationWriter.Code("123037004", "SCT", "Anatomical Structure");
    static final List<SegmentationWriter.Segment> SEGMENTS = List.of(
            new SegmentationWriter.Segment(2, "CSF", "csf", new SegmentationWriter.Code("91720002", "SCT", "Body Substance"),
                    new SegmentationWriter.Code("65216001", "SCT", "Cerebrospinal Fluid"), 0x2060ff, "test"),
            new SegmentationWriter.Segment(4, "White matter", "wm", CATEGORY, new SegmentationWriter.Code("389080008", "SCT", "White Matter"), 0xf0f0a0, "test"),
            new SegmentationWriter.Segment(7, "Brainstem", "absent", CATEGORY, new SegmentationWriter.Code("119238007", "SCT", "Brain stem"), 0xffa000, "test"));

    /** 32x32 labels: 4 in a square on every slice, 2 on a diagonal on slice 1 only, 7 nowhere. */
    static List<byte[]> labels(int slices) {
        List<byte[]> out = new ArrayList<>();
        for (int k = 0; k < slices; k++) {
            byte[] l = new byte[32 * 32];
            for (int y = 8 + k; y < 20; y++) {
                for (int x = 5; x < 25 - k; x++) {
                    l[y * 32 + x] = 4;
                }
            }
            if (k == 1) {
                for (int d = 0; d < 32; d++) {
                    l[d * 32 + d] = 2;
                }
            }
            out.add(l);
        }
        return out;
    }

    @Test
    void theSegmentationIsValidReferencesItsImagesAndHoldsExactlyTheLabels() throws Exception {
        SyntheticSeriesWriter.Series series = SyntheticSeriesWriterTest.series("seed=1", 3);
        List<DerivedObject> images = SyntheticSeriesWriter.write(series);
        List<byte[]> labels = labels(3);
        DerivedObject seg = SegmentationWriter.write(series, SEGMENTS, labels, "test labels");
        Dciodvfy.assertValidSynthetic(seg.part10(), "segmentation");
        AttributeList a = SyntheticSeriesWriterTest.read(seg.part10());
        AttributeList image = SyntheticSeriesWriterTest.read(images.get(0).part10());
        assertEquals(SOPClass.SegmentationStorage, Dicom.string(a, TagFromName.SOPClassUID));
        assertEquals("SEG", Dicom.string(a, TagFromName.Modality));
        assertEquals("BINARY", Dicom.string(a, TagFromName.SegmentationType));
        assertEquals("YES", Dicom.string(a, SyntheticSeriesWriter.SYNTHETIC_DATA));
        for (var tag : List.of(TagFromName.StudyInstanceUID, TagFromName.FrameOfReferenceUID, TagFromName.PatientID, TagFromName.PatientName)) {
            assertEquals(Dicom.string(image, tag), Dicom.string(a, tag), tag.toString());
        }
        // segments present: 2 and 4, numbered 1 and 2 (7 has no pixel and is left out)
        SequenceAttribute segments = (SequenceAttribute) a.get(TagFromName.SegmentSequence);
        assertEquals(2, segments.getNumberOfItems());
        assertEquals("CSF", Dicom.string(segments.getItem(0).getAttributeList(), TagFromName.SegmentLabel));
        AttributeList type = ((SequenceAttribute) segments.getItem(1).getAttributeList().get(TagFromName.SegmentedPropertyTypeCodeSequence))
                .getItem(0).getAttributeList();
        assertEquals("389080008", Dicom.string(type, TagFromName.CodeValue));
        assertEquals("SCT", Dicom.string(type, TagFromName.CodingSchemeDesignator));
        // Referenced Series Sequence names the image series and every image
        AttributeList referenced = ((SequenceAttribute) a.get(TagFromName.ReferencedSeriesSequence)).getItem(0).getAttributeList();
        assertEquals(images.get(0).seriesInstanceUid(), Dicom.string(referenced, TagFromName.SeriesInstanceUID));
        assertEquals(3, ((SequenceAttribute) referenced.get(TagFromName.ReferencedInstanceSequence)).getNumberOfItems());

        // frames: segment 1 (label 2) on slice 2 only, segment 2 (label 4) on slices 1..3
        SequenceAttribute frames = (SequenceAttribute) a.get(TagFromName.PerFrameFunctionalGroupsSequence);
        assertEquals(4, frames.getNumberOfItems());
        assertEquals(4, Attribute.getSingleIntegerValueOrDefault(a, TagFromName.NumberOfFrames, 0));
        int[][] expected = {{1, 2}, {2, 1}, {2, 2}, {2, 3}};
        byte[] bits = a.get(TagFromName.PixelData).getByteValues();
        for (int f = 0; f < 4; f++) {
            AttributeList frame = frames.getItem(f).getAttributeList();
            int[] index = item(frame, TagFromName.FrameContentSequence).get(TagFromName.DimensionIndexValues).getIntegerValues();
            assertArrayEquals(expected[f], index);
            int slice = index[1] - 1;
            AttributeList source = item(item(frame, TagFromName.DerivationImageSequence), TagFromName.SourceImageSequence);
            assertEquals(images.get(slice).sopInstanceUid(), Dicom.string(source, TagFromName.ReferencedSOPInstanceUID));
            AttributeList sliceImage = SyntheticSeriesWriterTest.read(images.get(slice).part10());
            assertArrayEquals(Attribute.getDoubleValues(sliceImage, TagFromName.ImagePositionPatient),
                    Attribute.getDoubleValues(item(frame, TagFromName.PlanePositionSequence), TagFromName.ImagePositionPatient), 1e-9);
            int label = SEGMENTS.get(index[0] - 1).labelValue();
            for (int p = 0; p < 32 * 32; p++) {
                int bit = f * 32 * 32 + p;
                boolean set = (bits[bit / 8] >> (bit % 8) & 1) == 1;
                assertEquals(labels.get(slice)[p] == label, set, "frame " + f + " pixel " + p);
            }
        }
    }

    @Test
    void theSameInputGivesTheSameBytes() {
        SyntheticSeriesWriter.Series series = SyntheticSeriesWriterTest.series("seed=1", 2);
        assertArrayEquals(SegmentationWriter.write(series, SEGMENTS, labels(2), "x").part10(),
                SegmentationWriter.write(series, SEGMENTS, labels(2), "x").part10());
    }

    @Test
    void labelsThatDoNotMatchTheImagesAreRefused() {
        SyntheticSeriesWriter.Series series = SyntheticSeriesWriterTest.series("seed=1", 3);
        assertThrows(IllegalArgumentException.class, () -> SegmentationWriter.write(series, SEGMENTS, labels(2), "x"));
        assertThrows(IllegalArgumentException.class, () -> SegmentationWriter.write(series, SEGMENTS.subList(2, 3), labels(3), "x"));
    }

    private static AttributeList item(AttributeList list, com.pixelmed.dicom.AttributeTag sequence) {
        return ((SequenceAttribute) list.get(sequence)).getItem(0).getAttributeList();
    }
}
