package io.scanenhancer.anatomy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.scanenhancer.volume.NiftiVolume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes models/ch2-tissue-labels/: labels.nii.gz, labels.json (label table, volumes, how it was made) and
 * overlay.png and overlay-brainstem.png (the by-eye checks). Run: {@code java -cp ... io.scanenhancer.anatomy.Ch2LabelFiles [outDir]}.
 */
public final class Ch2LabelFiles {
    private Ch2LabelFiles() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "models/ch2-tissue-labels");
        Ch2TissueLabels.Result result = Ch2TissueLabels.build(Ch2TissueLabels.TEMPLATES);
        LabelVolume labels = result.labels();
        labels.write(out.resolve("labels.nii.gz"), "ch2 tissue labels, see labels.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("labels.json").toFile(), table(result));
        NiftiVolume ch2 = NiftiVolume.read(Ch2TissueLabels.TEMPLATES.resolve("ch2.nii.gz"));
        LabelOverlayPng.write(out.resolve("overlay.png"), ch2, labels, 110, 112, 90, 130f);
        LabelOverlayPng.write(out.resolve("overlay-brainstem.png"), ch2, labels, 97, 100, 40, 130f);
        for (TissueLabel l : TissueLabel.values()) {
            System.out.printf("%d %-28s %10d voxels %9.1f ml%n", l.value(), l.name(), labels.counts()[l.value()],
                    labels.millilitres(l));
        }
        System.out.printf("fit: means %s sds %s thresholds %.2f %.2f iterations %d%n",
                java.util.Arrays.toString(result.fit().mean()), java.util.Arrays.toString(result.fit().sd()),
                result.csfGreyThreshold(), result.greyWhiteThreshold(), result.fit().iterations());
    }

    static Map<String, Object> table(Ch2TissueLabels.Result r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("file", "labels.nii.gz");
        root.put("grid", "ch2.nii.gz's grid: 181x217x181, 1 mm, same sform (MNI)");
        List<Map<String, Object>> list = new ArrayList<>();
        for (TissueLabel l : TissueLabel.values()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("value", l.value());
            e.put("name", l.name().toLowerCase());
            e.put("description", l.description());
            e.put("voxels", r.labels().counts()[l.value()]);
            e.put("millilitres", Math.round(r.labels().millilitres(l) * 10) / 10.0);
            list.add(e);
        }
        root.put("labels", list);
        Map<String, Object> made = new LinkedHashMap<>();
        made.put("code", "io.scanenhancer.anatomy.Ch2TissueLabels (see its javadoc), written by Ch2LabelFiles");
        made.put("inputs", "Debian mricron-data: ch2.nii.gz (intensities), ch2bet.nii.gz (brain mask), aal.nii.gz (deep grey nuclei 71-78, cerebellum 91-116, thalamus for the brainstem's upper end)");
        made.put("head", "ch2 > 0, holes filled in 3D and per slice in all three orientations");
        made.put("tissue_classes", "3-class Gaussian mixture with partial-volume classes on the cerebral brain histogram; halfway thresholds");
        made.put("fit_means", r.fit().mean());
        made.put("fit_sds", r.fit().sd());
        made.put("csf_grey_threshold", r.csfGreyThreshold());
        made.put("grey_white_threshold", r.greyWhiteThreshold());
        made.put("fitted_voxels", r.fittedVoxels());
        made.put("fit_excludes_axial_slices", r.fittedSlicesExcluded());
        made.put("slices_labelled", "all 181 axial slices (labels are anatomy; nothing is fitted on the excluded slices)");
        made.put("brainstem", "AAL-unlabelled grey/white tissue below AAL's thalamus, within 17 mm of the midline, behind MNI y = -9 mm, more than 3 voxels from AAL's cerebellum, connected to the lowest midline voxels (class Brainstem)");
        root.put("made_by", made);
        return root;
    }
}
