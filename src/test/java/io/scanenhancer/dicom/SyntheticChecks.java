package io.scanenhancer.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;

import java.io.ByteArrayInputStream;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every synthetic object must say, for tests outside this package. */
public final class SyntheticChecks {
    private SyntheticChecks() {
    }

    /** Synthetic Data YES, the fictitious patient, a description that says SYNTHETIC, and dciodvfy-clean. */
    public static void assertSynthetic(byte[] part10) throws Exception {
        AttributeList a = new AttributeList();
        a.read(new DicomInputStream(new ByteArrayInputStream(part10)));
        assertEquals("YES", Dicom.string(a, SyntheticSeriesWriter.SYNTHETIC_DATA));
        assertEquals(SyntheticSeriesWriter.PATIENT_NAME, Dicom.string(a, TagFromName.PatientName));
        String description = Dicom.string(a, TagFromName.SeriesDescription);
        assertTrue(List.of(SyntheticSeriesWriter.SERIES_DESCRIPTION, SegmentationWriter.SERIES_DESCRIPTION,
                io.scanenhancer.synthesis.T1StandInRenderer.SERIES_DESCRIPTION,
                io.scanenhancer.synthesis.DiffusionLabelRenderer.SERIES_DESCRIPTION).contains(description), description);
        Dciodvfy.assertValidSynthetic(part10, "synthetic " + Dicom.string(a, TagFromName.Modality));
    }
}
