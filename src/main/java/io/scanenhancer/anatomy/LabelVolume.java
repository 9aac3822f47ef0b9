package io.scanenhancer.anatomy;

import io.scanenhancer.volume.NiftiVolume;
import io.scanenhancer.volume.NiftiWriter;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A volume of {@link TissueLabel} values on a NIfTI grid. Voxel (i, j, k) is {@code labels[i + nx * (j + ny * k)]};
 * slices come out in the same orientation as {@link NiftiVolume}'s, so a label slice lies on its image slice.
 */
public record LabelVolume(NiftiWriter.Grid grid, byte[] labels) {
    public LabelVolume {
        if (labels.length != grid.voxels()) {
            throw new IllegalArgumentException(labels.length + " labels for a grid of " + grid.voxels());
        }
    }

    public int nx() { return grid.nx(); }
    public int ny() { return grid.ny(); }
    public int nz() { return grid.nz(); }

    public int get(int i, int j, int k) {
        return labels[i + nx() * (j + ny() * k)];
    }

    /** Axial slice k, (ny rows x nx columns), as {@link NiftiVolume#axial}. */
    public byte[] axial(int k) {
        byte[] s = new byte[nx() * ny()];
        System.arraycopy(labels, nx() * ny() * k, s, 0, s.length);
        return s;
    }

    /** Coronal slice j, (nz rows x nx columns), as {@link NiftiVolume#coronal}. */
    public byte[] coronal(int j) {
        byte[] s = new byte[nx() * nz()];
        for (int k = 0; k < nz(); k++) {
            for (int i = 0; i < nx(); i++) {
                s[k * nx() + i] = (byte) get(i, j, k);
            }
        }
        return s;
    }

    /** Sagittal slice i, (nz rows x ny columns), as {@link NiftiVolume#sagittal}. */
    public byte[] sagittal(int i) {
        byte[] s = new byte[ny() * nz()];
        for (int k = 0; k < nz(); k++) {
            for (int j = 0; j < ny(); j++) {
                s[k * ny() + j] = (byte) get(i, j, k);
            }
        }
        return s;
    }

    /** Voxels per label value (index = value). */
    public long[] counts() {
        long[] n = new long[TissueLabel.values().length];
        for (byte b : labels) {
            n[b]++;
        }
        return n;
    }

    /** Volume of one label in millilitres. */
    public double millilitres(TissueLabel label) {
        return counts()[label.value()] * grid.dx() * grid.dy() * grid.dz() / 1000.0;
    }

    public void write(Path niftiGz, String description) throws IOException {
        NiftiWriter.writeUint8(niftiGz, grid, labels, description);
    }

    /** Reads a label volume written by {@link #write}; every voxel must be a known label. */
    public static LabelVolume read(Path nifti) throws IOException {
        NiftiVolume v = NiftiVolume.read(nifti);
        NiftiWriter.Grid grid = NiftiWriter.Grid.of(nifti);
        byte[] labels = new byte[grid.voxels()];
        int p = 0;
        for (int k = 0; k < v.nz(); k++) {
            for (int j = 0; j < v.ny(); j++) {
                for (int i = 0; i < v.nx(); i++) {
                    float value = v.get(i, j, k);
                    TissueLabel.of(Math.round(value));
                    labels[p++] = (byte) Math.round(value);
                }
            }
        }
        return new LabelVolume(grid, labels);
    }
}
