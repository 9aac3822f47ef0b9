package io.scanenhancer.harness;

import io.scanenhancer.dicom.Dciodvfy;
import io.scanenhancer.dicom.SourceImage;
import io.scanenhancer.volume.NiftiVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SampleSeriesWriterTest {
    @TempDir
    Path dir;

    @Test
    void committedSamplesAreReproducibleValidAndGeometricallyTrue() throws Exception {
        List<Path> regenerated = SampleSeriesWriter.write(SampleSeriesWriter.DEFAULT_VOLUME, dir);
        assertEquals(12, regenerated.size());
        NiftiVolume volume = NiftiVolume.read(SampleSeriesWriter.DEFAULT_VOLUME);
        double[][] sform = SampleSeriesWriter.sform(SampleSeriesWriter.DEFAULT_VOLUME);
        String series = null;
        for (int n = 0; n < regenerated.size(); n++) {
            Path committed = SampleSeriesWriter.DEFAULT_OUTPUT.resolve(regenerated.get(n).getFileName());
            assertArrayEquals(Files.readAllBytes(committed), Files.readAllBytes(regenerated.get(n)), "regenerated " + committed + " differs");
            Dciodvfy.assertValid(committed, committed.toString());
            SourceImage img = SourceImage.read(committed);
            series = series == null ? img.seriesInstanceUid() : series;
            assertEquals(series, img.seriesInstanceUid());
            // A voxel's RAS position (sform) -> LPS -> the DICOM pixel there must hold that voxel's value.
            int k = SampleSeriesWriter.FIRST_SLICE + n * SampleSeriesWriter.SLICE_STEP;
            int i = 97, j = 120;
            double[] lps = SampleSeriesWriter.lps(sform, i, j, k);
            double[] ipp = img.imagePositionPatient(0), iop = img.imageOrientationPatient(0), spacing = img.pixelSpacing(0);
            double[] d = {lps[0] - ipp[0], lps[1] - ipp[1], lps[2] - ipp[2]};
            double column = (d[0] * iop[0] + d[1] * iop[1] + d[2] * iop[2]) / spacing[1];
            double row = (d[0] * iop[3] + d[1] * iop[4] + d[2] * iop[5]) / spacing[0];
            assertEquals(0, d[0] * (iop[1] * iop[5] - iop[2] * iop[4]) + d[1] * (iop[2] * iop[3] - iop[0] * iop[5]) + d[2] * (iop[0] * iop[4] - iop[1] * iop[3]), 1e-6, "point lies in the slice plane");
            int r = (int) Math.round(row), c = (int) Math.round(column);
            assertEquals(row, r, 1e-6);
            assertEquals(column, c, 1e-6);
            assertEquals(volume.get(i, j, k), img.frame(0).at(r, c), 0.0, "slice " + k);
        }
    }
}
