package io.scanenhancer.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

/** Reads a per-frame value the way PS3.3 C.7.6.16 resolves it: top level, else per-frame group, else shared group. */
final class FunctionalGroups {
    private FunctionalGroups() {
    }

    /** {slope, intercept} of one frame; identity when the object has no rescale at all. */
    static double[] rescale(AttributeList h, int frame) {
        if (h.get(TagFromName.RescaleSlope) != null || h.get(TagFromName.RescaleIntercept) != null) {
            return new double[] {Attribute.getSingleDoubleValueOrDefault(h, TagFromName.RescaleSlope, 1),
                    Attribute.getSingleDoubleValueOrDefault(h, TagFromName.RescaleIntercept, 0)};
        }
        AttributeList macro = macro(h, frame, TagFromName.PixelValueTransformationSequence);
        if (macro != null) {
            return new double[] {Attribute.getSingleDoubleValueOrDefault(macro, TagFromName.RescaleSlope, 1),
                    Attribute.getSingleDoubleValueOrDefault(macro, TagFromName.RescaleIntercept, 0)};
        }
        return new double[] {1, 0};
    }

    static double[] doubles(AttributeList h, int frame, AttributeTag macroSequence, AttributeTag tag, int count) {
        double[] top = values(h, tag, count);
        if (top != null) {
            return top;
        }
        AttributeList macro = macro(h, frame, macroSequence);
        return macro == null ? null : values(macro, tag, count);
    }

    /** The single item of a functional group macro for one frame: per-frame first, then shared. */
    static AttributeList macro(AttributeList h, int frame, AttributeTag macroSequence) {
        if (macroSequence == null || frame < 0) {
            return null;
        }
        AttributeList perFrame = item(h.get(TagFromName.PerFrameFunctionalGroupsSequence), frame);
        AttributeList m = perFrame == null ? null : item(perFrame.get(macroSequence), 0);
        if (m != null) {
            return m;
        }
        AttributeList shared = item(h.get(TagFromName.SharedFunctionalGroupsSequence), 0);
        return shared == null ? null : item(shared.get(macroSequence), 0);
    }

    static AttributeList item(Attribute a, int index) {
        if (a instanceof SequenceAttribute s && index >= 0 && index < s.getNumberOfItems()) {
            return s.getItem(index).getAttributeList();
        }
        return null;
    }

    private static double[] values(AttributeList list, AttributeTag tag, int count) {
        Attribute a = list.get(tag);
        if (a == null || a.getVM() != count) {
            return null;
        }
        try {
            double[] v = a.getDoubleValues();
            for (double x : v) {
                if (!Double.isFinite(x)) {
                    return null;
                }
            }
            return v;
        } catch (DicomException | RuntimeException e) {
            return null;
        }
    }
}
