package io.scanenhancer.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

/**
 * Geometry of the finer grid. The derived image covers exactly the source's field of view: s x s new pixels tile
 * each old pixel, so the new first pixel centre lies half a new pixel inside the old first pixel's corner:
 * IPP' = IPP + (1/(2s) - 1/2) (rowDir * columnSpacing + columnDir * rowSpacing). Orientation, slice thickness,
 * spacing between slices and the frame of reference do not change.
 */
public final class DerivedGeometry {
    private DerivedGeometry() {
    }

    /**
     * Patient coordinates (mm) of the centre of pixel (row, column) in a plane described by Image Position (Patient),
     * Image Orientation (Patient) and Pixel Spacing (row spacing, column spacing), per PS3.3 C.7.6.2.1.1.
     */
    public static double[] patientPoint(double[] ipp, double[] iop, double[] spacing, double row, double column) {
        double[] p = new double[3];
        for (int k = 0; k < 3; k++) {
            p[k] = ipp[k] + iop[k] * spacing[1] * column + iop[3 + k] * spacing[0] * row;
        }
        return p;
    }

    /** Image Position (Patient) of the first pixel centre of the grid refined by {@code scale}. */
    public static double[] refinedPosition(double[] ipp, double[] iop, double[] spacing, int scale) {
        double k = 1.0 / (2 * scale) - 0.5;
        return patientPoint(ipp, iop, spacing, k, k);
    }

    static void apply(AttributeList out, SourceImage source, int s) throws DicomException {
        Dicom.put(out, TagFromName.Rows, Integer.toString(source.rows() * s));
        Dicom.put(out, TagFromName.Columns, Integer.toString(source.columns() * s));
        double[] ipp = doubles(out, TagFromName.ImagePositionPatient, 3);
        double[] iop = doubles(out, TagFromName.ImageOrientationPatient, 6);
        double[] spacing = doubles(out, TagFromName.PixelSpacing, 2);
        if (ipp != null && iop != null && spacing != null) {
            Dicom.putDecimals(out, TagFromName.ImagePositionPatient, refinedPosition(ipp, iop, spacing, s));
        }
        divide(out, TagFromName.PixelSpacing, s);
        divide(out, TagFromName.NominalScannedPixelSpacing, s);
        applyToFunctionalGroups(out, source, s);
    }

    private static void applyToFunctionalGroups(AttributeList out, SourceImage source, int s) throws DicomException {
        AttributeList shared = FunctionalGroups.item(out.get(TagFromName.SharedFunctionalGroupsSequence), 0);
        if (shared != null) {
            refineMacros(shared, source, 0, s);
        }
        if (out.get(TagFromName.PerFrameFunctionalGroupsSequence) instanceof SequenceAttribute perFrame) {
            for (int f = 0; f < perFrame.getNumberOfItems(); f++) {
                refineMacros(perFrame.getItem(f).getAttributeList(), source, f, s);
            }
        }
    }

    /** Updates the Pixel Measures and Plane Position macros found in one functional groups item (shared or one frame's). */
    private static void refineMacros(AttributeList group, SourceImage source, int frame, int s) throws DicomException {
        AttributeList position = FunctionalGroups.item(group.get(TagFromName.PlanePositionSequence), 0);
        if (position != null) {
            double[] ipp = doubles(position, TagFromName.ImagePositionPatient, 3);
            double[] iop = source.imageOrientationPatient(frame);
            double[] spacing = source.pixelSpacing(frame);
            if (ipp != null && iop != null && spacing != null) {
                Dicom.putDecimals(position, TagFromName.ImagePositionPatient, refinedPosition(ipp, iop, spacing, s));
            }
        }
        AttributeList measures = FunctionalGroups.item(group.get(TagFromName.PixelMeasuresSequence), 0);
        if (measures != null) {
            divide(measures, TagFromName.PixelSpacing, s);
        }
    }

    private static void divide(AttributeList list, AttributeTag tag, int s) {
        double[] v = doubles(list, tag, 2);
        if (v != null) {
            Dicom.putDecimals(list, tag, v[0] / s, v[1] / s);
        }
    }

    private static double[] doubles(AttributeList list, AttributeTag tag, int count) {
        return FunctionalGroups.doubles(list, -1, null, tag, count);
    }
}
