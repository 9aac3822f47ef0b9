package io.scanenhancer.synthesis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.scanenhancer.anatomy.RandomAnatomy;
import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.dicom.SegmentationWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ML side of a synthetic study written with {@code --out}: {@value #IMAGE} (float32, the pixel values of the
 * DICOM images before 12-bit storage) and, for the label path, {@value #LABELS} (uint8 tissue labels, the very
 * labels the image was rendered from) and {@value #TABLE} (label table with SNOMED CT codes, voxel counts, the grid,
 * the anatomy's parameters and the renderer).
 */
public final class StudyFiles {
    public static final String IMAGE = "image.nii.gz", LABELS = "labels.nii.gz", TABLE = "labels.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StudyFiles() {
    }

    /** Writes the files into dir; returns their names. */
    public static List<String> write(Path dir, StudySynthesizer.Result r) throws IOException {
        List<String> written = new ArrayList<>();
        r.volume().writeImage(dir.resolve(IMAGE));
        written.add(IMAGE);
        if (r.volume().labels() != null) {
            r.volume().writeLabels(dir.resolve(LABELS));
            JSON.writeValue(dir.resolve(TABLE).toFile(), table(r));
            written.add(LABELS);
            written.add(TABLE);
        }
        return written;
    }

    static Map<String, Object> table(StudySynthesizer.Result r) {
        StudyVolume v = r.volume();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("synthetic", "SYNTHETIC data: not a real person");
        root.put("labels", LABELS);
        root.put("image", IMAGE);
        root.put("studyInstanceUid", r.studyInstanceUid());
        root.put("seriesInstanceUid", r.seriesInstanceUid());
        root.put("segmentationSeriesInstanceUid", r.segmentation() == null ? null : r.segmentation().seriesInstanceUid());
        Map<String, Object> grid = new LinkedHashMap<>();
        grid.put("size", new int[] {v.columns(), v.rows(), v.z().length});
        grid.put("voxelMm", new double[] {v.pixelSpacingMm(), v.pixelSpacingMm(), v.spacingMm()});
        grid.put("sform", "RAS = srow x (column, row, slice, 1); DICOM LPS is RAS with x and y negated");
        grid.put("srow", v.grid().srow());
        root.put("grid", grid);
        long[] counts = v.labelCounts(TissueLabel.values().length);
        double voxelMl = v.pixelSpacingMm() * v.pixelSpacingMm() * v.spacingMm() / 1000;
        List<Map<String, Object>> labels = new ArrayList<>();
        for (TissueLabel l : TissueLabel.values()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("value", l.value());
            e.put("name", l.name().toLowerCase());
            e.put("description", l.description());
            if (l != TissueLabel.BACKGROUND) {
                SegmentationWriter.Segment s = SegmentCodes.of(l, "");
                e.put("category", code(s.category()));
                e.put("type", code(s.type()));
            }
            e.put("voxels", counts[l.value()]);
            e.put("millilitres", Math.round(counts[l.value()] * voxelMl * 10) / 10.0);
            labels.add(e);
        }
        root.put("labelTable", labels);
        RandomAnatomy.Parameters p = r.anatomy();
        if (p != null) {
            Map<String, Object> anatomy = new LinkedHashMap<>();
            anatomy.put("model", StudySynthesizer.ANATOMY.id() + " " + StudySynthesizer.ANATOMY.version());
            anatomy.put("seed", p.seed());
            anatomy.put("scale", p.scale());
            anatomy.put("axisScale", p.axisScale());
            anatomy.put("pitchRollYawDeg", new double[] {p.pitchDeg(), p.rollDeg(), p.yawDeg()});
            anatomy.put("deformationPeakMm", p.deformationPeakMm());
            anatomy.put("ventricleExpansionMm", p.ventricleExpansionMm());
            root.put("anatomy", anatomy);
        }
        root.put("renderer", r.rendererId() + " " + r.rendererVersion() + (r.standIn() ? " (STAND-IN, not the diffusion renderer)" : ""));
        return root;
    }

    private static Map<String, String> code(SegmentationWriter.Code c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("code", c.value());
        m.put("scheme", c.scheme());
        m.put("meaning", c.meaning());
        return m;
    }
}
