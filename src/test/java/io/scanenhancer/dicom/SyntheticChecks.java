package io.scanenhancer.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;

import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What every synthetic object must say, for tests outside this package. */
public final class SyntheticChecks {
    private SyntheticChecks() {
    }

    public static void assertSynthetic(byte[] part10) throws Exception {
        AttributeList a = new AttributeList();
        a.read(new DicomInputStream(new ByteArrayInputStream(part10)));
        assertEquals("YES", Dicom.string(a, SyntheticSeriesWriter.SYNTHETIC_DATA));
        assertEquals(SyntheticSeriesWriter.PATIENT_NAME, Dicom.string(a, TagFromName.PatientName));
        assertEquals(SyntheticSeriesWriter.SERIES_DESCRIPTION, Dicom.string(a, TagFromName.SeriesDescription));
        Dciodvfy.assertValidSynthetic(part10, "synthetic MR");
    }
}
