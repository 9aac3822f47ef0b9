package io.scanenhancer.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticSeriesWriterTest {

    static SyntheticSeriesWriter.Series series(String key, int count) {
        List<float[]> images = new ArrayList<>();
        double[] z = new double[count];
        for (int i = 0; i < count; i++) {
            float[] img = new float[32 * 32];
            for (int p = 0; p < img.length; p++) {
                img[p] = (p * 7 + i * 13) % 256;
            }
            images.add(img);
            z[i] = -20 + 5.0 * i;
        }
        return new SyntheticSeriesWriter.Series(
                new SyntheticSeriesWriter.Model("mri-t1-axial-generator", "1", "synthesized 64x64 slices"),
                new SyntheticSeriesWriter.Model("sr3-mri-t1", "2", "super-resolution 2x, 2 stages"),
                key, null, 32, 32, 1.0, 5.0, new double[] {-15.5, -15.5}, z, images);
    }

    static AttributeList read(byte[] part10) throws Exception {
        AttributeList a = new AttributeList();
        a.read(new DicomInputStream(new ByteArrayInputStream(part10)));
        return a;
    }

    @Test
    void everyObjectSaysSyntheticNamesBothModelsAndHoldsNoRealPerson() throws Exception {
        List<DerivedObject> objects = SyntheticSeriesWriter.write(series("seed=1", 3));
        assertEquals(3, objects.size());
        for (DerivedObject o : objects) {
            AttributeList a = read(o.part10());
            assertEquals(SOPClass.MRImageStorage, Dicom.string(a, TagFromName.SOPClassUID));
            assertEquals("YES", Dicom.string(a, SyntheticSeriesWriter.SYNTHETIC_DATA));
            assertEquals(SyntheticSeriesWriter.PATIENT_NAME, Dicom.string(a, TagFromName.PatientName));
            assertTrue(Dicom.string(a, TagFromName.PatientID).startsWith("SYNTH-"));
            assertEquals("", Dicom.string(a, TagFromName.PatientBirthDate));
            assertEquals("", Dicom.string(a, TagFromName.StudyDate));
            assertTrue(Dicom.string(a, TagFromName.SeriesDescription).contains("SYNTHETIC"));
            assertTrue(Dicom.string(a, TagFromName.SeriesDescription).contains("NOT FOR DIAGNOSTIC USE"));
            assertArrayEquals(new String[] {"DERIVED", "SECONDARY", "OTHER"}, Dicom.strings(a, TagFromName.ImageType));
            SequenceAttribute equipment = (SequenceAttribute) a.get(TagFromName.ContributingEquipmentSequence);
            assertEquals(2, equipment.getNumberOfItems());
            AttributeList first = equipment.getItem(0).getAttributeList();
            AttributeList purpose = ((SequenceAttribute) first.get(TagFromName.PurposeOfReferenceCodeSequence)).getItem(0).getAttributeList();
            assertEquals("109100", Dicom.string(purpose, TagFromName.CodeValue));
            assertEquals("DCM", Dicom.string(purpose, TagFromName.CodingSchemeDesignator));
            assertEquals("Synthesizing Equipment", Dicom.string(purpose, TagFromName.CodeMeaning));
            assertEquals("mri-t1-axial-generator", Dicom.string(first, TagFromName.ManufacturerModelName));
            assertArrayEquals(new String[] {"mri-t1-axial-generator", "1"}, Dicom.strings(first, TagFromName.SoftwareVersions));
            AttributeList second = equipment.getItem(1).getAttributeList();
            AttributeList purpose2 = ((SequenceAttribute) second.get(TagFromName.PurposeOfReferenceCodeSequence)).getItem(0).getAttributeList();
            assertEquals("109103", Dicom.string(purpose2, TagFromName.CodeValue));
            assertEquals("sr3-mri-t1", Dicom.string(second, TagFromName.ManufacturerModelName));
            Dciodvfy.assertValidSynthetic(o.part10(), "synthetic MR");
        }
    }

    @Test
    void theStackHasOneGeometry() throws Exception {
        List<DerivedObject> objects = SyntheticSeriesWriter.write(series("seed=1", 4));
        String frame = null;
        for (int i = 0; i < objects.size(); i++) {
            AttributeList a = read(objects.get(i).part10());
            String f = Dicom.string(a, TagFromName.FrameOfReferenceUID);
            if (frame == null) {
                frame = f;
            }
            assertEquals(frame, f, "one frame of reference for the stack");
            assertArrayEquals(new String[] {"1", "0", "0", "0", "1", "0"}, Dicom.strings(a, TagFromName.ImageOrientationPatient));
            String[] position = Dicom.strings(a, TagFromName.ImagePositionPatient);
            assertEquals(-20 + 5.0 * i, Double.parseDouble(position[2]), 1e-9, "slices step by the spacing along the normal");
            assertEquals(5.0, Double.parseDouble(Dicom.string(a, TagFromName.SliceThickness)), 1e-9);
            assertEquals(Integer.toString(i + 1), Dicom.string(a, TagFromName.InstanceNumber));
            assertEquals(objects.get(0).seriesInstanceUid(), objects.get(i).seriesInstanceUid());
        }
    }

    @Test
    void pixelsRoundTripAtTheDocumentedScale() throws Exception {
        SyntheticSeriesWriter.Series s = series("seed=1", 1);
        AttributeList a = read(SyntheticSeriesWriter.write(s).get(0).part10());
        short[] stored = a.get(TagFromName.PixelData).getShortValues();
        float[] original = s.images().get(0);
        for (int p = 0; p < original.length; p++) {
            assertEquals(original[p], stored[p] / (float) SyntheticSeriesWriter.STORED_PER_UNIT, 0.125f + 1e-4f);
        }
    }

    @Test
    void uidsAreFunctionsOfTheRequest() {
        List<DerivedObject> a = SyntheticSeriesWriter.write(series("seed=1", 2));
        List<DerivedObject> again = SyntheticSeriesWriter.write(series("seed=1", 2));
        List<DerivedObject> other = SyntheticSeriesWriter.write(series("seed=2", 2));
        assertEquals(a.get(1).sopInstanceUid(), again.get(1).sopInstanceUid());
        assertArrayEquals(a.get(1).part10(), again.get(1).part10(), "same request, same bytes");
        assertNotEquals(a.get(0).seriesInstanceUid(), other.get(0).seriesInstanceUid());
        assertNotEquals(a.get(0).sopInstanceUid(), a.get(1).sopInstanceUid());
        assertFalse(a.get(0).seriesInstanceUid().equals(a.get(0).sopInstanceUid()));
    }
}
