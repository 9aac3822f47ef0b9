package io.scanenhancer.synthesis;

import io.scanenhancer.volume.NiftiWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A synthetic study as a volume, for ML pipelines: the slices' pixels and (label path) tissue labels on the DICOM
 * series' own grid. Voxel (i, j, k) is column i, row j of slice k; its DICOM patient position (LPS) is
 * (x0 + i * pixel, y0 + j * pixel, z[k]), which the NIfTI sform gives in RAS (x and y negated), sform code 1
 * (scanner-based: the DICOM patient frame), so that NIfTI tools and the DICOM objects agree on every voxel's place.
 *
 * @param labels null when the study has no labels (generator)
 */
public record StudyVolume(int rows, int columns, double pixelSpacingMm, double spacingMm, double x0, double y0, double[] z,
                          List<float[]> images, List<byte[]> labels) {

    public NiftiWriter.Grid grid() {
        double[] srow = {
                -pixelSpacingMm, 0, 0, -x0,
                0, -pixelSpacingMm, 0, -y0,
                0, 0, spacingMm, z[0]};
        return new NiftiWriter.Grid(columns, rows, z.length, (float) pixelSpacingMm, (float) pixelSpacingMm, (float) spacingMm, srow, 1);
    }

    public void writeImage(Path file) throws IOException {
        int plane = rows * columns;
        float[] all = new float[plane * z.length];
        for (int k = 0; k < z.length; k++) {
            System.arraycopy(images.get(k), 0, all, k * plane, plane);
        }
        NiftiWriter.writeFloat32(file, grid(), all, "SYNTHETIC MR, not a real person; 0..255");
    }

    public void writeLabels(Path file) throws IOException {
        if (labels == null) {
            throw new IllegalStateException("this study has no labels");
        }
        int plane = rows * columns;
        byte[] all = new byte[plane * z.length];
        for (int k = 0; k < z.length; k++) {
            System.arraycopy(labels.get(k), 0, all, k * plane, plane);
        }
        NiftiWriter.writeUint8(file, grid(), all, "SYNTHETIC tissue labels, see labels.json");
    }

    /** Voxels per label value (index = value), over all slices. */
    public long[] labelCounts(int labelValues) {
        long[] n = new long[labelValues];
        for (byte[] slice : labels) {
            for (byte b : slice) {
                n[b]++;
            }
        }
        return n;
    }
}
