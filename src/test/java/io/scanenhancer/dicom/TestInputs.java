package io.scanenhancer.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.image.FloatImage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test inputs made by editing attributes of real files with PixelMed, and an exact (pixel-replicating) enhancement. */
final class TestInputs {
    private TestInputs() {
    }

    interface Edit {
        void apply(AttributeList list) throws DicomException;
    }

    /** Reads a real file, applies the edit, writes it in explicit VR little endian. */
    static byte[] edited(Path file, Edit edit) throws IOException, DicomException {
        AttributeList list = new AttributeList();
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            list.read(in);
        }
        list.removeMetaInformationHeaderAttributes();
        list.removeGroupLengthAttributes();
        edit.apply(list);
        FileMetaInformation.addFileMetaInformation(list, "1.2.840.10008.1.2.1", "TEST");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        list.write(out, "1.2.840.10008.1.2.1", true, true);
        return out.toByteArray();
    }

    static void set(AttributeList list, AttributeTag tag, String... values) throws DicomException {
        Attribute a = list.putNewAttribute(tag);
        for (String v : values) {
            a.addValue(v);
        }
    }

    /** Each source pixel becomes an s x s block of the same real value: stored values must come back exactly. */
    static List<EnhancedImage> replicate(SourceImage source, int s) {
        List<EnhancedImage> out = new ArrayList<>();
        for (int f = 0; f < source.frameCount(); f++) {
            FloatImage in = source.frame(f);
            float[] px = new float[in.pixels().length * s * s];
            int w = in.width() * s;
            for (int y = 0; y < in.height() * s; y++) {
                for (int x = 0; x < w; x++) {
                    px[y * w + x] = in.at(y / s, x / s);
                }
            }
            out.add(new EnhancedImage(new FloatImage(in.height() * s, w, px), null, "replicate", false, 0, false));
        }
        return out;
    }

    static Derivation derivation(String method) {
        return new Derivation("test-" + method, "1", 2, method, "scale=2", false, null, null);
    }

    static void assertReplicated(SourceImage source, SourceImage derived, int s) {
        for (int f = 0; f < source.frameCount(); f++) {
            int[] a = source.storedValues(f);
            int[] b = derived.storedValues(f);
            int w = source.columns() * s;
            for (int y = 0; y < source.rows() * s; y++) {
                for (int x = 0; x < w; x++) {
                    int expected = a[(y / s) * source.columns() + x / s];
                    if (b[y * w + x] != expected) {
                        throw new AssertionError("frame " + f + " pixel (" + y + "," + x + ") stored " + b[y * w + x] + " expected " + expected);
                    }
                }
            }
        }
    }

    static AttributeTag tag(int group, int element) {
        return new AttributeTag(group, element);
    }

    static String string(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag);
    }

    static AttributeList parse(byte[] part10) throws IOException, DicomException {
        AttributeList list = new AttributeList();
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(part10))) {
            list.read(in);
        }
        return list;
    }

    static final AttributeTag ROWS = TagFromName.Rows;
}
