package io.scanenhancer.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.image.FloatImage;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stored -> real -> stored: same representation, exact where the real values are unchanged, clamped never wrapped. */
class ValuesTest {

    private static SourceImage roundTrip(byte[] input, String label) throws Exception {
        SourceImage source = SourceImage.read(input);
        DerivedObject derived = DerivedImageWriter.write(source, TestInputs.replicate(source, 2), TestInputs.derivation("replicate"));
        Dciodvfy.assertValid(derived.part10(), label);
        SourceImage back = SourceImage.read(derived.part10());
        assertEquals(source.photometricInterpretation(), back.photometricInterpretation(), label);
        assertEquals(source.bitsAllocated(), back.bitsAllocated(), label);
        assertEquals(source.bitsStored(), back.bitsStored(), label);
        assertEquals(source.signed(), back.signed(), label);
        assertEquals(source.rescaleSlope(0), back.rescaleSlope(0), label);
        assertEquals(source.rescaleIntercept(0), back.rescaleIntercept(0), label);
        TestInputs.assertReplicated(source, back, 2);
        return back;
    }

    @Test
    void signedSixteenBitMrAndItsPixelValueRange() throws Exception {
        roundTrip(Files.readAllBytes(TestFiles.pydicom("MR_small.dcm")), "MR_small");
        SourceImage source = SourceImage.read(TestFiles.pydicom("MR_small.dcm"));
        byte[] derived = DerivedImageWriter.write(source, TestFiles.bicubic(source, 2), TestFiles.bicubicDerivation()).part10();
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (int v : SourceImage.read(derived).storedValues(0)) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        AttributeList d = TestInputs.parse(derived);
        assertEquals(Integer.toString(min), TestInputs.string(d, TagFromName.SmallestImagePixelValue).strip());
        assertEquals(Integer.toString(max), TestInputs.string(d, TagFromName.LargestImagePixelValue).strip());
        assertEquals("SS", d.get(TagFromName.LargestImagePixelValue).getVRAsString());
    }

    @Test
    void ctWithRescaleIntercept() throws Exception {
        roundTrip(Files.readAllBytes(TestFiles.pydicom("CT_small.dcm")), "CT_small");
    }

    @Test
    void monochrome1StaysMonochrome1AndIsNotInverted() throws Exception {
        byte[] input = TestInputs.edited(TestFiles.pydicom("MR_small.dcm"), l -> TestInputs.set(l, TagFromName.PhotometricInterpretation, "MONOCHROME1"));
        SourceImage back = roundTrip(input, "MONOCHROME1");
        assertEquals("MONOCHROME1", back.photometricInterpretation());
    }

    @Test
    void eightBitSecondaryCaptureFromDeflatedInput() throws Exception {
        SourceImage back = roundTrip(Files.readAllBytes(TestFiles.pydicom("image_dfl.dcm")), "image_dfl (8-bit SC, deflated)");
        assertEquals(8, back.bitsAllocated());
    }

    @Test
    void unsignedTwelveBitsStoredWithRescale() throws Exception {
        byte[] input = TestInputs.edited(TestFiles.pydicom("MR_small.dcm"), l -> {
            TestInputs.set(l, TagFromName.PixelRepresentation, "0");
            TestInputs.set(l, TagFromName.BitsStored, "12");
            TestInputs.set(l, TagFromName.HighBit, "11");
            TestInputs.set(l, TagFromName.RescaleSlope, "0.5");
            TestInputs.set(l, TagFromName.RescaleIntercept, "-100");
            TestInputs.set(l, TagFromName.RescaleType, "US");
            l.remove(TagFromName.SmallestImagePixelValue);
            l.remove(TagFromName.LargestImagePixelValue);
        });
        SourceImage back = roundTrip(input, "12-bit unsigned with rescale");
        assertEquals(0.5, back.rescaleSlope(0));
    }

    @Test
    void outOfRangeValuesAreClampedNotWrapped() throws Exception {
        byte[] input = TestInputs.edited(TestFiles.pydicom("MR_small.dcm"), l -> {
            TestInputs.set(l, TagFromName.PixelRepresentation, "0");
            TestInputs.set(l, TagFromName.BitsStored, "12");
            TestInputs.set(l, TagFromName.HighBit, "11");
            l.remove(TagFromName.SmallestImagePixelValue);
            l.remove(TagFromName.LargestImagePixelValue);
        });
        SourceImage source = SourceImage.read(input);
        float[] px = new float[source.rows() * 2 * source.columns() * 2];
        px[0] = 4095.6f;   // rounds to 4096: one above the 12-bit maximum
        px[1] = 1e9f;
        px[2] = -0.6f;     // rounds to -1: one below the minimum
        px[3] = -1e9f;
        px[4] = 1234.5f;   // round half up
        px[5] = 1234.49f;
        List<EnhancedImage> frames = List.of(new EnhancedImage(new FloatImage(source.rows() * 2, source.columns() * 2, px), null, "test", false, 0, false));
        SourceImage back = SourceImage.read(DerivedImageWriter.write(source, frames, TestInputs.derivation("clamp")).part10());
        int[] v = back.storedValues(0);
        assertEquals(4095, v[0]);
        assertEquals(4095, v[1]);
        assertEquals(0, v[2]);
        assertEquals(0, v[3]);
        assertEquals(1235, v[4]);
        assertEquals(1234, v[5]);
    }

    /** CT_small: mean HU of homogeneous tissue regions, source vs bicubic-enhanced (regions twice the size there). */
    @Test
    void ctTissueMeansStayWithinOneHounsfieldUnit() throws Exception {
        SourceImage source = SourceImage.read(TestFiles.pydicom("CT_small.dcm"));
        DerivedObject derived = DerivedImageWriter.write(source, TestFiles.bicubic(source, 2), TestFiles.bicubicDerivation());
        Dciodvfy.assertValid(derived.part10(), "CT bicubic");
        SourceImage back = SourceImage.read(derived.part10());
        FloatImage s = source.frame(0), d = back.frame(0);
        int block = 8, checked = 0;
        double worst = 0;
        for (int y = block; y + 2 * block <= s.height(); y += block) {
            for (int x = block; x + 2 * block <= s.width(); x += block) {
                double[] ms = meanAndSd(s, y, x, block);
                // homogeneous soft tissue or fat: small spread, plausible HU
                if (ms[1] > 25 || ms[0] < -200 || ms[0] > 200) {
                    continue;
                }
                double[] md = meanAndSd(d, 2 * y, 2 * x, 2 * block);
                worst = Math.max(worst, Math.abs(md[0] - ms[0]));
                checked++;
            }
        }
        System.out.println("CT HU test: " + checked + " tissue regions, largest mean difference " + worst + " HU");
        assertTrue(checked >= 10, "too few tissue regions found: " + checked);
        assertTrue(worst <= 1.0, "mean HU moved by " + worst);
    }

    private static double[] meanAndSd(FloatImage img, int y0, int x0, int size) {
        double sum = 0, sq = 0;
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                double v = img.at(y, x);
                sum += v;
                sq += v * v;
            }
        }
        double n = size * size, mean = sum / n;
        return new double[] {mean, Math.sqrt(Math.max(0, sq / n - mean * mean))};
    }
}
