package io.scanenhancer.synthesis;

import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.dicom.SegmentationWriter.Code;
import io.scanenhancer.dicom.SegmentationWriter.Segment;

import java.util.ArrayList;
import java.util.List;

/**
 * The tissue labels as DICOM segments: Segmented Property Category from CID 7150 and Type from the CNS and tissue
 * context groups, all SNOMED CT (scheme SCT). Source of every code and meaning: DICOM PS3.16 as generated into
 * pydicom 2.3.1's concept dictionary (Debian python3-pydicom, /usr/lib/python3/dist-packages/pydicom/sr/_concepts_dict.py;
 * the CIDs in brackets are those it lists for the code):
 * <ul>
 * <li>categories: Tissue 85756007 [7150], Anatomical Structure 123037004 [7150] (91723000 is the older code PixelMed's
 *     converter still writes; CID 7150 now lists 123037004), Body Substance 91720002 [7150];</li>
 * <li>Tissue 85756007 [7166], Cerebrospinal Fluid 65216001 [7153], Cerebral cortex 40146001 [7153, 7140],
 *     White Matter 389080008 [7153], Gray Matter 389081007 [7153], Cerebellar Cortex 25991003 [7140],
 *     Brain stem 119238007 [7153, 7140].</li>
 * </ul>
 * Where a label is wider or narrower than its code, the Segment Label and Description say what it holds: label 1 is
 * every non-brain tissue of the head (coded as Tissue), label 5 the deep grey nuclei (coded as Gray Matter), label 4
 * cerebral and cerebellar white matter (White Matter), label 2 the CSF inside the brain mask (ventricles, sulci,
 * cisterns).
 */
public final class SegmentCodes {
    static final Code TISSUE = new Code("85756007", "SCT", "Tissue");
    static final Code ANATOMICAL_STRUCTURE = new Code("123037004", "SCT", "Anatomical Structure");
    static final Code BODY_SUBSTANCE = new Code("91720002", "SCT", "Body Substance");

    private SegmentCodes() {
    }

    /** The segment of a tissue label; background has none. */
    public static Segment of(TissueLabel label, String algorithmName) {
        return switch (label) {
            case NON_BRAIN_HEAD -> segment(label, "Non-brain head tissue", TISSUE, TISSUE, algorithmName);
            case CSF -> segment(label, "CSF", BODY_SUBSTANCE, new Code("65216001", "SCT", "Cerebrospinal Fluid"), algorithmName);
            case CORTICAL_GREY_MATTER -> segment(label, "Cortical grey matter", ANATOMICAL_STRUCTURE, new Code("40146001", "SCT", "Cerebral cortex"), algorithmName);
            case WHITE_MATTER -> segment(label, "White matter", ANATOMICAL_STRUCTURE, new Code("389080008", "SCT", "White Matter"), algorithmName);
            case DEEP_GREY_MATTER -> segment(label, "Deep grey matter", ANATOMICAL_STRUCTURE, new Code("389081007", "SCT", "Gray Matter"), algorithmName);
            case CEREBELLAR_CORTEX -> segment(label, "Cerebellar cortex", ANATOMICAL_STRUCTURE, new Code("25991003", "SCT", "Cerebellar Cortex"), algorithmName);
            case BRAINSTEM -> segment(label, "Brainstem", ANATOMICAL_STRUCTURE, new Code("119238007", "SCT", "Brain stem"), algorithmName);
            case BACKGROUND -> throw new IllegalArgumentException("background is not a segment");
        };
    }

    /** Every tissue label but background, in label order. */
    public static List<Segment> all(String algorithmName) {
        List<Segment> out = new ArrayList<>();
        for (TissueLabel l : TissueLabel.values()) {
            if (l != TissueLabel.BACKGROUND) {
                out.add(of(l, algorithmName));
            }
        }
        return out;
    }

    private static Segment segment(TissueLabel l, String name, Code category, Code type, String algorithmName) {
        return new Segment(l.value(), name, l.description(), category, type, l.rgb(), algorithmName);
    }
}
