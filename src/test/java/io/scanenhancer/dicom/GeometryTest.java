package io.scanenhancer.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GeometryTest {

    /** The centre of source pixel (r, c) is the centre of the s x s block of derived pixels that replaces it. */
    static void assertSameCentres(SourceImage source, SourceImage derived, int frame, int s) {
        double[] ippS = source.imagePositionPatient(frame), iopS = source.imageOrientationPatient(frame), spS = source.pixelSpacing(frame);
        double[] ippD = derived.imagePositionPatient(frame), iopD = derived.imageOrientationPatient(frame), spD = derived.pixelSpacing(frame);
        assertArrayEquals(iopS, iopD, 1e-9, "orientation kept");
        int[][] points = {{0, 0}, {0, source.columns() - 1}, {source.rows() - 1, 0}, {source.rows() / 2, source.columns() / 3}};
        for (int[] p : points) {
            int r = p[0], c = p[1];
            double[] expected = DerivedGeometry.patientPoint(ippS, iopS, spS, r, c);
            double offset = (s - 1) / 2.0; // the block's centre in derived pixel indices
            double[] actual = DerivedGeometry.patientPoint(ippD, iopD, spD, s * r + offset, s * c + offset);
            assertArrayEquals(expected, actual, 1e-4, "centre of source pixel (" + r + "," + c + ")");
            // and the block's first derived pixel centre lies (1/(2s) - 1/2) source pixels from the source pixel centre
            double[] firstOfBlock = DerivedGeometry.patientPoint(ippD, iopD, spD, s * r, s * c);
            double k = 1.0 / (2 * s) - 0.5;
            double[] expectedFirst = DerivedGeometry.patientPoint(ippS, iopS, spS, r + k, c + k);
            assertArrayEquals(expectedFirst, firstOfBlock, 1e-4);
        }
        // corners of the field of view coincide
        assertArrayEquals(DerivedGeometry.patientPoint(ippS, iopS, spS, -0.5, -0.5), DerivedGeometry.patientPoint(ippD, iopD, spD, -0.5, -0.5), 1e-4);
    }

    @Test
    void obliqueAnisotropicGeometryIsExact() throws Exception {
        byte[] input = TestInputs.edited(TestFiles.pydicom("MR_small.dcm"), l -> {
            TestInputs.set(l, TagFromName.ImageOrientationPatient, "0.8660254037844", "0.5", "0", "0", "0", "-1");
            TestInputs.set(l, TagFromName.PixelSpacing, "0.7", "0.9");
            TestInputs.set(l, TagFromName.ImagePositionPatient, "-12.5", "33.1", "7.25");
        });
        SourceImage source = SourceImage.read(input);
        DerivedObject derived = DerivedImageWriter.write(source, TestFiles.bicubic(source, 2), TestFiles.bicubicDerivation());
        Dciodvfy.assertValid(derived.part10(), "oblique MR");
        SourceImage back = SourceImage.read(derived.part10());
        // IPP' = IPP + (1/4 - 1/2) (rowDir * 0.9 + colDir * 0.7), worked by hand:
        // rowDir*0.9 = (0.7794229, 0.45, 0), colDir*0.7 = (0, 0, -0.7); times -0.25 = (-0.1948557, -0.1125, 0.175)
        assertArrayEquals(new double[] {-12.6948557, 32.9875, 7.425}, back.imagePositionPatient(0), 1e-6);
        assertArrayEquals(new double[] {0.35, 0.45}, back.pixelSpacing(0), 1e-12);
        assertSameCentres(source, back, 0, 2);
        AttributeList s = TestInputs.parse(input), d = TestInputs.parse(derived.part10());
        for (var tag : new com.pixelmed.dicom.AttributeTag[] {TagFromName.SliceThickness, TagFromName.FrameOfReferenceUID,
                TagFromName.SliceLocation, TagFromName.StudyInstanceUID}) {
            assertEquals(TestInputs.string(s, tag), TestInputs.string(d, tag), tag.toString());
        }
    }

    @Test
    void geometryOfCtAtScaleThree() throws Exception {
        SourceImage source = SourceImage.read(TestFiles.pydicom("CT_small.dcm"));
        Derivation d = new Derivation("bicubic", "1", 3, "bicubic", "scale=3", false, null, null);
        DerivedObject derived = DerivedImageWriter.write(source, TestFiles.bicubic(source, 3), d);
        SourceImage back = SourceImage.read(derived.part10());
        assertEquals(source.rows() * 3, back.rows());
        assertSameCentres(source, back, 0, 3);
    }
}
