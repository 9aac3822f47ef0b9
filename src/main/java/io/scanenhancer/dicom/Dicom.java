package io.scanenhancer.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;

import java.math.BigDecimal;
import java.math.MathContext;

/** Small helpers over PixelMed's attribute API; package-private so PixelMed stays inside this package. */
public final class Dicom {
    private Dicom() {
    }

    public static Attribute put(AttributeList list, AttributeTag tag, String... values) {
        try {
            Attribute a = list.putNewAttribute(tag);
            for (String v : values) {
                a.addValue(v);
            }
            return a;
        } catch (DicomException e) {
            throw new IllegalStateException("cannot set " + tag + ": " + e.getMessage(), e);
        }
    }

    public static Attribute putDecimals(AttributeList list, AttributeTag tag, double... values) {
        String[] s = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            s[i] = ds(values[i]);
        }
        return put(list, tag, s);
    }

    public static SequenceAttribute sequence(AttributeList list, AttributeTag tag, AttributeList... items) {
        SequenceAttribute s = new SequenceAttribute(tag);
        for (AttributeList item : items) {
            s.addItem(item);
        }
        list.put(s);
        return s;
    }

    public static AttributeList code(String value, String scheme, String meaning) {
        try {
            return new CodedSequenceItem(value, scheme, meaning).getAttributeList();
        } catch (DicomException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String string(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).strip();
    }

    public static String[] strings(AttributeList list, AttributeTag tag) {
        String[] v = Attribute.getStringValues(list, tag);
        return v == null ? new String[0] : v;
    }

    /** A Decimal String of at most 16 characters with as many significant digits as fit. */
    public static String ds(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("not a finite number: " + x);
        }
        if (x == 0) {
            return "0";
        }
        for (int digits = 15; digits >= 1; digits--) {
            BigDecimal r = new BigDecimal(x).round(new MathContext(digits)).stripTrailingZeros();
            String plain = r.toPlainString();
            if (plain.length() <= 16) {
                return plain;
            }
            String scientific = r.toString();
            if (scientific.length() <= 16) {
                return scientific;
            }
        }
        throw new IllegalArgumentException("cannot write " + x + " as a DS");
    }

    /** Cuts a value to a VR's maximum length without leaving trailing spaces. */
    public static String fit(String s, int max) {
        return (s.length() <= max ? s : s.substring(0, max)).strip();
    }
}
