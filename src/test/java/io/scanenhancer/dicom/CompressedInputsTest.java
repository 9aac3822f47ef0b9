package io.scanenhancer.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.dicom.RefusedInputException.Category;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compressed inputs made at test time by gdcmconv and dcmtk: decoded exactly, or refused with the syntax named. */
class CompressedInputsTest {
    @TempDir
    Path dir;

    @Test
    void rleDecodesToTheUncompressedTwin() throws Exception {
        TestFiles.assumeTool("/usr/bin/gdcmconv");
        for (String name : new String[] {"MR_small", "CT_small"}) {
            Path rle = dir.resolve(name + "_rle.dcm");
            DerivedChecks.run(dir, List.of("gdcmconv", "--rle", TestFiles.pydicom(name + ".dcm").toString(), rle.toString()));
            SourceImage twin = SourceImage.read(TestFiles.pydicom(name + ".dcm"));
            SourceImage decoded = SourceImage.read(rle);
            assertEquals("1.2.840.10008.1.2.5", decoded.transferSyntaxUid());
            assertArrayEquals(twin.storedValues(0), decoded.storedValues(0), name);
            DerivedObject derived = DerivedImageWriter.write(decoded, TestFiles.bicubic(decoded, 2), TestFiles.bicubicDerivation());
            Dciodvfy.assertValid(derived.part10(), name + " from RLE");
            assertEquals("00", TestInputs.string(TestInputs.parse(derived.part10()), TagFromName.LossyImageCompression));
        }
    }

    @Test
    void otherCompressionsAreRefusedNamingTheSyntax() throws Exception {
        TestFiles.assumeTool("/usr/bin/gdcmconv");
        String[][] cases = {
                {"--j2k", "compressed transfer syntax JPEG 2000 lossless (1.2.840.10008.1.2.4.90) is not supported; ask the PACS for explicit VR little endian"},
                {"--jpegls", "compressed transfer syntax JPEG-LS lossless (1.2.840.10008.1.2.4.80) is not supported; ask the PACS for explicit VR little endian"},
                {"--jpeg", "compressed transfer syntax JPEG lossless SV1 (1.2.840.10008.1.2.4.70) is not supported; ask the PACS for explicit VR little endian"}};
        for (String[] c : cases) {
            Path out = dir.resolve("MR" + c[0].replace("-", "") + ".dcm");
            DerivedChecks.run(dir, List.of("gdcmconv", c[0], TestFiles.pydicom("MR_small.dcm").toString(), out.toString()));
            RefusedInputException e = assertThrows(RefusedInputException.class, () -> SourceImage.read(out));
            assertEquals(Category.UNSUPPORTED_TRANSFER_SYNTAX, e.category());
            assertEquals(c[1], e.reason());
        }
    }

    /** 8-bit JPEG baseline (lossy): PixelMed via the JDK's reader must agree with dcmtk's libjpeg decoder. */
    @Test
    void eightBitJpegBaselineMatchesDcmtkAndKeepsLossyHistory() throws Exception {
        TestFiles.assumeTool("/usr/bin/dcmcjpeg");
        Path plain = dir.resolve("sc8.dcm"), jpeg = dir.resolve("sc8_jpeg.dcm"), decoded = dir.resolve("sc8_dec.dcm");
        DerivedChecks.run(dir, List.of("dcmconv", "+te", TestFiles.pydicom("image_dfl.dcm").toString(), plain.toString()));
        DerivedChecks.run(dir, List.of("dcmcjpeg", "+eb", plain.toString(), jpeg.toString()));
        DerivedChecks.run(dir, List.of("dcmdjpeg", jpeg.toString(), decoded.toString()));
        SourceImage ours = SourceImage.read(jpeg);
        SourceImage theirs = SourceImage.read(decoded);
        assertEquals("1.2.840.10008.1.2.4.50", ours.transferSyntaxUid());
        int[] a = ours.storedValues(0), b = theirs.storedValues(0);
        int worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        System.out.println("JPEG baseline: largest difference PixelMed/JDK vs dcmtk decoder = " + worst);
        assertTrue(worst <= 1, "decoders disagree by " + worst);
        DerivedObject derived = DerivedImageWriter.write(ours, TestFiles.bicubic(ours, 2), TestFiles.bicubicDerivation());
        Dciodvfy.assertValid(derived.part10(), "SC from JPEG baseline");
        AttributeList out = TestInputs.parse(derived.part10());
        assertEquals("01", TestInputs.string(out, TagFromName.LossyImageCompression));
        assertEquals("ISO_10918_1", TestInputs.string(out, TagFromName.LossyImageCompressionMethod));
        assertTrue(Double.parseDouble(TestInputs.string(out, TagFromName.LossyImageCompressionRatio)) > 1);
    }
}
