package io.scanenhancer.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SignedShortAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;

/** Real-world value back to a stored value of the source's representation: rounded to nearest, clamped, never wrapped. */
final class StoredValues {
    private StoredValues() {
    }

    static int toStored(float real, double slope, double intercept, int min, int max) {
        double x = (real - intercept) / slope;
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("the enhancer produced a value that is not a number");
        }
        long r = Math.round(x);
        return (int) Math.max(min, Math.min(max, r));
    }

    static Attribute pixelValueAttribute(AttributeTag tag, int value, boolean signed) throws DicomException {
        Attribute a = signed ? new SignedShortAttribute(tag) : new UnsignedShortAttribute(tag);
        a.addValue(value);
        return a;
    }
}
