package io.scanenhancer.cli;

import io.scanenhancer.dicom.Dciodvfy;
import io.scanenhancer.dicom.DerivedChecks;
import io.scanenhancer.dicom.SourceImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every file of pydicom's test corpus, gdcmconv-compressed variants of MR_small and CT_small and the sample series go
 * through {@code enhance}: each is either enhanced correctly (dciodvfy without errors, values and geometry checked
 * against the source) or refused with its expected reason.
 */
class EnhanceCommandCorpusTest {
    static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    static final String ENHANCED = "ENHANCED";
    static final String J2K = "compressed transfer syntax JPEG 2000 lossless (1.2.840.10008.1.2.4.90) is not supported; ask the PACS for explicit VR little endian";
    static final String JPEG_LS = "compressed transfer syntax JPEG-LS lossless (1.2.840.10008.1.2.4.80) is not supported; ask the PACS for explicit VR little endian";
    static final String NOT_COMPOSITE = "not a DICOM composite object: no SOP Class UID and no image attributes";
    static final String NOT_DICOM = "not a DICOM file: no DICM prefix and no data set at the start";

    /** Expected outcome of each top-level pydicom file: ENHANCED or the start of the refusal reason. */
    static final Map<String, String> PYDICOM_TOP_LEVEL = Map.ofEntries(
            entry("693_J2KI.dcm", "compressed transfer syntax JPEG 2000"),
            entry("CT_small.dcm", ENHANCED),
            entry("ExplVR_BigEnd.dcm", "SOP class Ultrasound Image Storage"),
            entry("ExplVR_BigEndNoMeta.dcm", "SOP class RT Ion Plan Storage"),
            entry("ExplVR_LitEndNoMeta.dcm", "SOP class RT Ion Plan Storage"),
            entry("GDCMJ2K_TextGBR.dcm", "colour or palette image"),
            entry("J2K_pixelrep_mismatch.dcm", "compressed transfer syntax JPEG 2000 lossless"),
            entry("JPEG-lossy.dcm", "compressed transfer syntax JPEG extended"),
            entry("JPEG2000-embedded-sequence-delimiter.dcm", "compressed transfer syntax JPEG 2000"),
            entry("JPEG2000.dcm", "compressed transfer syntax JPEG 2000"),
            entry("JPGExtended.dcm", "compressed transfer syntax JPEG extended"),
            entry("MR_small.dcm", ENHANCED),
            entry("MR_small_RLE.dcm", ENHANCED),
            entry("MR_small_bigendian.dcm", ENHANCED),
            entry("MR_small_expb.dcm", ENHANCED),
            entry("MR_small_implicit.dcm", ENHANCED),
            entry("MR_small_jp2klossless.dcm", "compressed transfer syntax JPEG 2000 lossless"),
            entry("MR_small_jpeg_ls_lossless.dcm", "compressed transfer syntax JPEG-LS lossless"),
            entry("MR_small_padded.dcm", ENHANCED),
            entry("MR_truncated.dcm", "pixel data truncated: Pixel Data claims 8192 bytes but only 8130 remain"),
            entry("README.txt", NOT_DICOM),
            entry("SC_jpeg_no_color_transform.dcm", "colour or palette image"),
            entry("SC_jpeg_no_color_transform_2.dcm", "colour or palette image"),
            entry("SC_rgb_dcmtk_+eb+cr.dcm", "colour or palette image"),
            entry("SC_rgb_dcmtk_+eb+cy+n1.dcm", "colour or palette image"),
            entry("SC_rgb_dcmtk_+eb+cy+n2.dcm", "colour or palette image"),
            entry("SC_rgb_dcmtk_+eb+cy+np.dcm", "colour or palette image"),
            entry("SC_rgb_dcmtk_+eb+cy+s2.dcm", "colour or palette image"),
            entry("SC_rgb_dcmtk_+eb+cy+s4.dcm", "colour or palette image"),
            entry("SC_rgb_gdcm_KY.dcm", "colour or palette image"),
            entry("SC_rgb_jpeg.dcm", "not a readable DICOM data set"),
            entry("SC_rgb_jpeg_app14_dcmd.dcm", "colour or palette image"),
            entry("SC_rgb_jpeg_dcmd.dcm", "colour or palette image"),
            entry("SC_rgb_jpeg_dcmtk.dcm", "colour or palette image"),
            entry("SC_rgb_jpeg_gdcm.dcm", "colour or palette image"),
            entry("SC_rgb_jpeg_lossy_gdcm.dcm", "colour or palette image"),
            entry("SC_rgb_rle.dcm", "colour or palette image"),
            entry("SC_rgb_rle_16bit.dcm", "colour or palette image"),
            entry("SC_rgb_rle_16bit_2frame.dcm", "colour or palette image"),
            entry("SC_rgb_rle_2frame.dcm", "colour or palette image"),
            entry("SC_rgb_rle_32bit.dcm", "colour or palette image"),
            entry("SC_rgb_rle_32bit_2frame.dcm", "colour or palette image"),
            entry("SC_rgb_small_odd.dcm", "colour or palette image"),
            entry("SC_rgb_small_odd_jpeg.dcm", "colour or palette image"),
            entry("SC_ybr_full_422_uncompressed.dcm", "colour or palette image"),
            entry("UN_sequence.dcm", NOT_COMPOSITE),
            entry("badVR.dcm", "SOP class RT Dose Storage"),
            entry("empty_charset_LEI.dcm", NOT_COMPOSITE),
            entry("image_dfl.dcm", ENHANCED),
            entry("liver_1frame.dcm", "SOP class Segmentation Storage"),
            entry("liver_expb_1frame.dcm", "SOP class Segmentation Storage"),
            entry("meta_missing_tsyntax.dcm", NOT_COMPOSITE),
            entry("nested_priv_SQ.dcm", NOT_COMPOSITE),
            entry("no_meta.dcm", NOT_DICOM),
            entry("no_meta_group_length.dcm", NOT_COMPOSITE),
            entry("priv_SQ.dcm", NOT_COMPOSITE),
            entry("reportsi.dcm", "SOP class Basic Text SR Storage"),
            entry("reportsi_with_empty_number_tags.dcm", "SOP class Basic Text SR Storage"),
            entry("rtdose.dcm", "SOP class RT Dose Storage"),
            entry("rtdose_1frame.dcm", "SOP class RT Dose Storage"),
            entry("rtdose_expb.dcm", "SOP class RT Dose Storage"),
            entry("rtdose_expb_1frame.dcm", "SOP class RT Dose Storage"),
            entry("rtdose_rle.dcm", "SOP class RT Dose Storage"),
            entry("rtdose_rle_1frame.dcm", "SOP class RT Dose Storage"),
            entry("rtplan.dcm", "SOP class RT Plan Storage"),
            entry("rtplan.dump", NOT_DICOM),
            entry("rtplan_truncated.dcm", "truncated or corrupt file: element"),
            entry("rtstruct.dcm", "SOP class RT Structure Set Storage"),
            entry("rtstruct.dump", NOT_DICOM),
            entry("test-SR.dcm", "SOP class Comprehensive SR Storage"),
            entry("test1.json", NOT_DICOM),
            entry("test_PN.json", NOT_DICOM),
            entry("waveform_ecg.dcm", "SOP class Twelve Lead ECG Storage"),
            entry("zipMR.gz", NOT_DICOM));

    @TempDir
    Path tmp;

    static String expectedFor(String relative) {
        if (relative.startsWith("pydicom/dicomdirtests/")) {
            String r = relative.substring("pydicom/dicomdirtests/".length());
            if (r.matches("(TINY_ALPHA/)?DICOMDIR.*")) {
                return "a DICOMDIR (media storage directory), not an image";
            }
            if (r.matches("(TINY_ALPHA/)?README(\\.txt)?")) {
                return NOT_DICOM;
            }
            if (r.startsWith("TINY_ALPHA/PT000000/")) {
                return "no Pixel Data in the object"; // DICOMDIR test fixtures: headers only
            }
            if (r.matches("77654033/CR\\d/\\d+")) {
                return "SOP class Computed Radiography Image Storage";
            }
            if (r.matches("77654033/CT2/\\d+|98892001/CT\\dN/\\d+")) {
                return ENHANCED;
            }
            if (r.matches("98892003/MR(1|2|700)/\\d+")) {
                // anonymised fixtures whose Frame of Reference UID was set to the Study Instance UID
                return "Frame of Reference UID equals the Study, Series or SOP Instance UID";
            }
            return null;
        }
        if (relative.startsWith("pydicom/")) {
            return PYDICOM_TOP_LEVEL.get(relative.substring("pydicom/".length()));
        }
        if (relative.startsWith("gdcm/")) {
            return relative.endsWith("_rle.dcm") ? ENHANCED : relative.endsWith("_j2k.dcm") ? J2K : relative.endsWith("_jpegls.dcm") ? JPEG_LS : null;
        }
        if (relative.startsWith("samples/")) {
            return relative.endsWith(".dcm") ? ENHANCED : relative.endsWith("README.md") ? NOT_DICOM : null;
        }
        return null;
    }

    @Test
    void everyInputIsEnhancedCorrectlyOrRefusedForItsExpectedReason() throws Exception {
        Path in = tmp.resolve("in"), out = tmp.resolve("out");
        copyTree(PYDICOM, in.resolve("pydicom"));
        copyTree(Path.of("samples/mr-t1-colin27"), in.resolve("samples"));
        Path gdcm = Files.createDirectories(in.resolve("gdcm"));
        for (String name : new String[] {"MR_small", "CT_small"}) {
            for (String option : new String[] {"j2k", "jpegls", "rle"}) {
                DerivedChecks.run(tmp, List.of("gdcmconv", "--" + option, PYDICOM.resolve(name + ".dcm").toString(),
                        gdcm.resolve(name + "_" + option + ".dcm").toString()));
            }
        }

        ByteArrayOutputStream stdout = new ByteArrayOutputStream(), stderr = new ByteArrayOutputStream();
        // area named explicitly: the pixel check below is bicubic's, and MR files would otherwise get zero-fill
        int exit = EnhanceCommand.run(new String[] {in.toString(), out.toString(), "--enhancer", "bicubic", "--degradation", "area"},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, stderr.toString(StandardCharsets.UTF_8));

        Map<String, String> outcome = new TreeMap<>();
        Map<String, Path> outputOf = new HashMap<>();
        for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("enhanced ")) {
                String[] parts = line.substring("enhanced ".length()).split(" -> ");
                assertNotNull(outcome.put(parts[0], ENHANCED) == null ? "" : null, "two outcomes for " + parts[0]);
                outputOf.put(parts[0], out.resolve(parts[1]));
            }
        }
        for (String line : stderr.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("refused ")) {
                int colon = line.indexOf(": ");
                String file = line.substring("refused ".length(), colon);
                assertNotNull(outcome.put(file, line.substring(colon + 2)) == null ? "" : null, "two outcomes for " + file);
            }
        }

        List<String> inputs;
        try (Stream<Path> walk = Files.walk(in)) {
            inputs = walk.filter(Files::isRegularFile).map(p -> in.relativize(p).toString()).sorted().toList();
        }
        List<String> problems = new ArrayList<>();
        Map<String, Integer> table = new TreeMap<>();
        for (String input : inputs) {
            String expected = expectedFor(input);
            String actual = outcome.get(input);
            if (expected == null) {
                problems.add(input + ": no expectation (outcome: " + actual + ")");
            } else if (actual == null) {
                problems.add(input + ": no outcome line");
            } else if (!actual.startsWith(expected)) {
                problems.add(input + ": expected '" + expected + "', got '" + actual + "'");
            }
            if (actual != null) {
                String key = actual.equals(ENHANCED) ? ENHANCED : actual.replaceAll(" \\(.*", "").replaceAll(": .*", "");
                table.merge(key, 1, Integer::sum);
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " unexpected outcomes:\n" + String.join("\n", problems));
        }
        table.forEach((k, n) -> System.out.println("corpus: " + n + " x " + k));

        Set<Path> validated = new HashSet<>();
        for (Map.Entry<String, Path> e : outputOf.entrySet()) {
            SourceImage source = SourceImage.read(in.resolve(e.getKey()));
            SourceImage derived = SourceImage.read(e.getValue());
            DerivedChecks.assertBicubicDerivation(source, derived, 2);
            if (validated.add(e.getValue())) {
                Dciodvfy.assertValid(e.getValue(), e.getKey());
            }
        }
        try (Stream<Path> written = Files.list(out)) {
            List<Path> files = written.toList();
            assertTrue(files.stream().allMatch(p -> p.getFileName().toString().matches("2\\.25\\.[0-9]+\\.dcm")), "only finished objects: " + files);
            assertEquals(validated.size(), files.size());
        }
        System.out.println("corpus: " + inputs.size() + " inputs, " + outputOf.size() + " enhanced into " + validated.size()
                + " distinct derived objects (transfer-syntax twins of one instance share one), all dciodvfy-clean");
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
