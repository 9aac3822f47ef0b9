package io.scanenhancer.dicom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DerivedImageWriterTest {

    @ParameterizedTest
    @ValueSource(strings = {"MR_small.dcm", "CT_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm"})
    void derivedObjectIsValidAndReadsBack(String name) throws Exception {
        SourceImage source = SourceImage.read(TestFiles.pydicom(name));
        DerivedObject derived = DerivedImageWriter.write(source, TestFiles.bicubic(source, 2), TestFiles.bicubicDerivation());
        Dciodvfy.assertValid(derived.part10(), name);
        SourceImage back = SourceImage.read(derived.part10());
        assertEquals(source.rows() * 2, back.rows());
        assertEquals(source.columns() * 2, back.columns());
        assertEquals(source.studyInstanceUid(), back.studyInstanceUid());
        assertEquals(source.sopClassUid(), back.sopClassUid());
        assertEquals(derived.seriesInstanceUid(), back.seriesInstanceUid());
        assertEquals(derived.sopInstanceUid(), back.sopInstanceUid());
        assertArrayEquals(new double[] {source.pixelSpacing(0)[0] / 2, source.pixelSpacing(0)[1] / 2}, back.pixelSpacing(0), 1e-9);
    }
}
