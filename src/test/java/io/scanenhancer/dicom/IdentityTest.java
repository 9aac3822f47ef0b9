package io.scanenhancer.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdentityTest {

    @Test
    void reprocessingWritesTheVerySameObject() throws Exception {
        DerivedObject a = DerivedImageWriter.write(SourceImage.read(TestFiles.pydicom("CT_small.dcm")),
                TestFiles.bicubic(SourceImage.read(TestFiles.pydicom("CT_small.dcm")), 2), TestFiles.bicubicDerivation());
        SourceImage again = SourceImage.read(TestFiles.pydicom("CT_small.dcm"));
        DerivedObject b = DerivedImageWriter.write(again, TestFiles.bicubic(again, 2), TestFiles.bicubicDerivation());
        assertEquals(a.seriesInstanceUid(), b.seriesInstanceUid());
        assertEquals(a.sopInstanceUid(), b.sopInstanceUid());
        assertTrue(Arrays.equals(a.part10(), b.part10()), "same bytes");
    }

    @Test
    void uidsArePureFunctionsOfSourceModelAndParameters() {
        Derivation d = new Derivation("sr3-mri-t1", "1.0.0", 2, "diffusion", "steps=8;seed=1", false, null, null);
        String series = DerivedUids.seriesUid("1.2.3.4", d);
        String instance = DerivedUids.instanceUid("1.2.3.4.5", d);
        assertTrue(series.matches("2\\.25\\.[1-9][0-9]*") && series.length() <= 64, series);
        assertEquals(series, DerivedUids.seriesUid("1.2.3.4", d));
        assertNotEquals(series, DerivedUids.seriesUid("1.2.3.4", new Derivation("sr3-mri-t1", "1.0.1", 2, "diffusion", "steps=8;seed=1", false, null, null)));
        assertNotEquals(instance, DerivedUids.instanceUid("1.2.3.4.5", new Derivation("sr3-mri-t1", "1.0.0", 2, "diffusion", "steps=8;seed=2", false, null, null)));
        assertNotEquals(series, DerivedUids.seriesUid("1.2.3.5", d));
        assertNotEquals(DerivedUids.deviceUid(d), DerivedUids.deviceUid(new Derivation("sr3-mri-t1", "2", 2, "diffusion", "", false, null, null)));
        String root = "1.2.826.0.1.3680043.10.543";
        String rooted = DerivedUids.seriesUid("1.2.3.4", new Derivation("sr3-mri-t1", "1.0.0", 2, "diffusion", "steps=8;seed=1", false, null, root));
        assertTrue(rooted.startsWith(root + ".") && rooted.length() <= 64 && rooted.substring(root.length() + 1).matches("[1-9][0-9]*"), rooted);
    }

    @Test
    void derivedObjectRecordsItsDerivation() throws Exception {
        SourceImage source = SourceImage.read(TestFiles.pydicom("CT_small.dcm"));
        Derivation d = new Derivation("sr3-ct", "7", 2, "diffusion ddim 8 steps", "steps=8;seed=3", true, "Out-of-distribution score 4.2.", null);
        DerivedObject derived = DerivedImageWriter.write(source, TestFiles.bicubic(source, 2), d);
        Dciodvfy.assertValid(derived.part10(), "CT with OOD derivation");
        AttributeList s = TestInputs.parse(java.nio.file.Files.readAllBytes(TestFiles.pydicom("CT_small.dcm")));
        AttributeList out = TestInputs.parse(derived.part10());
        assertArrayEquals(new String[] {"DERIVED", "SECONDARY", "AXIAL"}, com.pixelmed.dicom.Attribute.getStringValues(out, TagFromName.ImageType));
        assertEquals(TestInputs.string(s, TagFromName.StudyInstanceUID), TestInputs.string(out, TagFromName.StudyInstanceUID));
        assertEquals(Integer.parseInt(TestInputs.string(s, TagFromName.SeriesNumber).strip()) + 1000 + DerivedSeries.slot(d),
                Integer.parseInt(TestInputs.string(out, TagFromName.SeriesNumber).strip()));
        String description = TestInputs.string(out, TagFromName.SeriesDescription);
        assertTrue(description.endsWith("AI 2x NOT FOR DIAGNOSTIC USE") && description.length() <= 64, description);
        assertEquals("NO", TestInputs.string(out, TagFromName.BurnedInAnnotation));
        assertTrue(TestInputs.string(out, TagFromName.DerivationDescription).contains("out of distribution"));
        assertTrue(TestInputs.string(out, TagFromName.ImageComments).contains("out-of-distribution guard"));
        assertEquals("113085", code(out, TagFromName.DerivationCodeSequence));
        AttributeList sourceRef = item(out, TagFromName.SourceImageSequence);
        assertEquals(source.sopInstanceUid(), TestInputs.string(sourceRef, TagFromName.ReferencedSOPInstanceUID));
        assertEquals("121322", code(sourceRef, TagFromName.PurposeOfReferenceCodeSequence));
        AttributeList series = item(out, TagFromName.ReferencedSeriesSequence);
        assertEquals(source.seriesInstanceUid(), TestInputs.string(series, TagFromName.SeriesInstanceUID));
        assertEquals(source.sopInstanceUid(), TestInputs.string(item(series, TagFromName.ReferencedInstanceSequence), TagFromName.ReferencedSOPInstanceUID));
        SequenceAttribute equipment = (SequenceAttribute) out.get(TagFromName.ContributingEquipmentSequence);
        AttributeList ours = equipment.getItem(equipment.getNumberOfItems() - 1).getAttributeList();
        assertEquals("Scan Enhancer", TestInputs.string(ours, TagFromName.Manufacturer));
        assertArrayEquals(new String[] {"sr3-ct", "7"}, com.pixelmed.dicom.Attribute.getStringValues(ours, TagFromName.SoftwareVersions));
        assertEquals(DerivedUids.deviceUid(d), TestInputs.string(ours, TagFromName.DeviceUID));
        assertEquals("109103", code(ours, TagFromName.PurposeOfReferenceCodeSequence));
        assertEquals("00", TestInputs.string(out, TagFromName.LossyImageCompression));
        assertEquals("1.2.840.10008.1.2.1", TestInputs.string(out, TagFromName.TransferSyntaxUID));
    }

    @Test
    void lossyHistoryOfTheSourceIsCarried() throws Exception {
        byte[] input = TestInputs.edited(TestFiles.pydicom("MR_small.dcm"), l -> {
            TestInputs.set(l, TagFromName.LossyImageCompression, "01");
            TestInputs.set(l, TagFromName.LossyImageCompressionMethod, "ISO_10918_1");
            TestInputs.set(l, TagFromName.LossyImageCompressionRatio, "8.5");
        });
        SourceImage source = SourceImage.read(input);
        DerivedObject derived = DerivedImageWriter.write(source, TestFiles.bicubic(source, 2), TestFiles.bicubicDerivation());
        Dciodvfy.assertValid(derived.part10(), "MR with lossy history");
        AttributeList out = TestInputs.parse(derived.part10());
        assertEquals("01", TestInputs.string(out, TagFromName.LossyImageCompression));
        assertEquals("ISO_10918_1", TestInputs.string(out, TagFromName.LossyImageCompressionMethod));
        assertEquals("8.5", TestInputs.string(out, TagFromName.LossyImageCompressionRatio));
    }

    private static AttributeList item(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
        return ((SequenceAttribute) list.get(tag)).getItem(0).getAttributeList();
    }

    private static String code(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
        return TestInputs.string(item(list, tag), TagFromName.CodeValue);
    }
}
