package io.scanenhancer.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeidentifierTest {
    private final Deidentifier deidentifier = new Deidentifier(new Deidentifier.Profile("project-secret-0123456789", "RESEARCH-0001", null, false));

    @Test
    void basicProfileOnSourceAndDerivedKeepsTheirLinkConsistent() throws Exception {
        byte[] sourceBytes = Files.readAllBytes(TestFiles.pydicom("CT_small.dcm"));
        SourceImage source = SourceImage.read(sourceBytes);
        byte[] derivedBytes = DerivedImageWriter.write(source, TestFiles.bicubic(source, 2), TestFiles.bicubicDerivation()).part10();

        AttributeList original = TestInputs.parse(sourceBytes);
        AttributeList s = TestInputs.parse(deidentifier.apply(sourceBytes));
        AttributeList d = TestInputs.parse(deidentifier.apply(derivedBytes));
        Dciodvfy.assertValid(deidentifier.apply(derivedBytes), "de-identified derived CT");

        for (AttributeList l : new AttributeList[] {s, d}) {
            assertEquals("RESEARCH-0001", TestInputs.string(l, TagFromName.PatientName));
            assertEquals("RESEARCH-0001", TestInputs.string(l, TagFromName.PatientID));
            assertEquals("YES", TestInputs.string(l, TagFromName.PatientIdentityRemoved));
            assertEquals("", TestInputs.string(l, TagFromName.PatientBirthDate));
            assertEquals("", TestInputs.string(l, TagFromName.InstitutionName));
            assertEquals("", TestInputs.string(l, TagFromName.ReferringPhysicianName));
            assertEquals("", TestInputs.string(l, TagFromName.StudyDate));
            assertTrue(hasCode(l, "113100"), "De-identification Method Code Sequence has 113100");
            assertEquals(TestInputs.string(original, TagFromName.SOPClassUID), TestInputs.string(l, TagFromName.SOPClassUID));
            assertNotEquals(TestInputs.string(original, TagFromName.StudyInstanceUID), TestInputs.string(l, TagFromName.StudyInstanceUID));
            assertTrue(l.keySet().stream().noneMatch(t -> t.getGroup() % 2 == 1), "no private attributes");
        }
        assertTrue(TestInputs.string(original, TagFromName.InstitutionName).length() > 0, "the test needs a source with an institution");
        // the same study in both; the derived object's source reference points at the de-identified source
        assertEquals(TestInputs.string(s, TagFromName.StudyInstanceUID), TestInputs.string(d, TagFromName.StudyInstanceUID));
        assertEquals(deidentifier.replacementUid(TestInputs.string(original, TagFromName.StudyInstanceUID)), TestInputs.string(s, TagFromName.StudyInstanceUID));
        AttributeList ref = ((SequenceAttribute) d.get(TagFromName.SourceImageSequence)).getItem(0).getAttributeList();
        assertEquals(TestInputs.string(s, TagFromName.SOPInstanceUID), TestInputs.string(ref, TagFromName.ReferencedSOPInstanceUID));
        assertEquals("AI-enhanced NOT FOR DIAGNOSTIC USE", TestInputs.string(d, TagFromName.SeriesDescription));
        // and again in another run: the same replacement
        assertEquals(TestInputs.string(s, TagFromName.SOPInstanceUID), TestInputs.string(TestInputs.parse(deidentifier.apply(sourceBytes)), TagFromName.SOPInstanceUID));
    }

    private static boolean hasCode(AttributeList l, String value) {
        if (!(l.get(TagFromName.DeidentificationMethodCodeSequence) instanceof SequenceAttribute seq)) {
            return false;
        }
        for (int i = 0; i < seq.getNumberOfItems(); i++) {
            if (value.equals(TestInputs.string(seq.getItem(i).getAttributeList(), TagFromName.CodeValue))) {
                return true;
            }
        }
        return false;
    }
}
