package io.scanenhancer.volume;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NiftiWriterTest {
    private static final double[] SROW = {1, 0, 0, -90, 0, 1, 0, -125, 0, 0, 1.5, -71};

    @Test
    void labelsAndImagesReadBackWithTheirGrid(@TempDir Path dir) throws IOException {
        NiftiWriter.Grid grid = new NiftiWriter.Grid(5, 4, 3, 1f, 1f, 1.5f, SROW, 4);
        byte[] labels = new byte[grid.voxels()];
        float[] image = new float[grid.voxels()];
        for (int p = 0; p < labels.length; p++) {
            labels[p] = (byte) (p * 7 % 200);
            image[p] = (float) Math.sin(p) * 1000;
        }
        Path l = dir.resolve("labels.nii.gz"), f = dir.resolve("image.nii");
        NiftiWriter.writeUint8(l, grid, labels, "test labels");
        NiftiWriter.writeFloat32(f, grid, image, "test image");

        NiftiVolume lv = NiftiVolume.read(l), fv = NiftiVolume.read(f);
        assertEquals(5, lv.nx());
        assertEquals(4, lv.ny());
        assertEquals(3, lv.nz());
        assertEquals(1.5f, lv.dz());
        for (int k = 0; k < 3; k++) {
            for (int j = 0; j < 4; j++) {
                for (int i = 0; i < 5; i++) {
                    int p = i + 5 * (j + 4 * k);
                    assertEquals(labels[p] & 0xff, lv.get(i, j, k), 0);
                    assertEquals(image[p], fv.get(i, j, k), 0);
                }
            }
        }
        NiftiWriter.Grid back = NiftiWriter.Grid.of(l);
        assertArrayEquals(SROW, back.srow(), 1e-6);
        assertEquals(4, back.sformCode());
    }

    @Test
    void ch2sGridIsReadFromItsSform() throws IOException {
        NiftiWriter.Grid g = NiftiWriter.Grid.of(Path.of("/usr/share/mricron/templates/ch2.nii.gz"));
        assertEquals(181, g.nx());
        assertArrayEquals(new double[] {1, 0, 0, -90, 0, 1, 0, -125, 0, 0, 1, -71}, g.srow(), 1e-6);
    }

    @Test
    void refusesDataOfTheWrongSize(@TempDir Path dir) {
        NiftiWriter.Grid grid = new NiftiWriter.Grid(2, 2, 2, 1f, 1f, 1f, SROW, 2);
        assertThrows(IllegalArgumentException.class,
                () -> NiftiWriter.writeUint8(dir.resolve("x.nii.gz"), grid, new byte[7], "short"));
    }
}
