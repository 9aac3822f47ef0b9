package io.scanenhancer.dicom;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Multi-frame Grayscale Word Secondary Capture made from MR_small (three frames, each a different version of it). */
class SecondaryCaptureMultiFrameTest {

    @Test
    void multiFrameWordSecondaryCaptureIsEnhancedFrameByFrame() throws Exception {
        byte[] input = TestInputs.edited(TestFiles.pydicom("MR_small.dcm"), l -> {
            short[] one = l.getPixelData().getShortValues();
            short[] three = new short[one.length * 3];
            for (int f = 0; f < 3; f++) {
                for (int i = 0; i < one.length; i++) {
                    three[f * one.length + i] = (short) Math.max(0, Math.min(4095, one[i] / (f + 1) + 7 * f));
                }
            }
            OtherWordAttribute px = new OtherWordAttribute(TagFromName.PixelData);
            px.setValues(three);
            l.put(px);
            TestInputs.set(l, TagFromName.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7.3");
            TestInputs.set(l, TagFromName.NumberOfFrames, "3");
            com.pixelmed.dicom.AttributeTagAttribute pointer = new com.pixelmed.dicom.AttributeTagAttribute(TagFromName.FrameIncrementPointer);
            pointer.addValue(0x0018, 0x2001); // Page Number Vector
            l.put(pointer);
            TestInputs.set(l, new AttributeTag(0x0018, 0x2001), "1", "2", "3");
            TestInputs.set(l, TagFromName.ConversionType, "WSD");
            TestInputs.set(l, TagFromName.PixelRepresentation, "0");
            TestInputs.set(l, TagFromName.BitsStored, "12");
            TestInputs.set(l, TagFromName.HighBit, "11");
            TestInputs.set(l, TagFromName.RescaleSlope, "1");
            TestInputs.set(l, TagFromName.RescaleIntercept, "0");
            TestInputs.set(l, TagFromName.RescaleType, "US");
            TestInputs.set(l, TagFromName.BurnedInAnnotation, "NO");
            TestInputs.set(l, TagFromName.PresentationLUTShape, "IDENTITY");
            TestInputs.set(l, TagFromName.PatientOrientation, "L", "P");
            for (AttributeTag t : new AttributeTag[] {TagFromName.SmallestImagePixelValue, TagFromName.LargestImagePixelValue,
                    TagFromName.ImagePositionPatient, TagFromName.ImageOrientationPatient, TagFromName.SliceThickness,
                    TagFromName.SliceLocation, TagFromName.FrameOfReferenceUID, TagFromName.PositionReferenceIndicator,
                    TagFromName.WindowCenter, TagFromName.WindowWidth}) {
                l.remove(t);
            }
        });
        Dciodvfy.assertValid(input, "input MF grayscale word SC");
        SourceImage source = SourceImage.read(input);
        assertEquals(3, source.frameCount());
        DerivedObject derived = DerivedImageWriter.write(source, TestInputs.replicate(source, 2), TestInputs.derivation("replicate"));
        Dciodvfy.assertValid(derived.part10(), "derived MF grayscale word SC");
        SourceImage back = SourceImage.read(derived.part10());
        assertEquals(3, back.frameCount());
        TestInputs.assertReplicated(source, back, 2);
    }
}
