package io.scanenhancer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.anatomy.LabelVolume;
import io.scanenhancer.dicom.SyntheticChecks;
import io.scanenhancer.synthesis.DiffusionLabelRenderer;
import io.scanenhancer.volume.NiftiVolume;
import io.scanenhancer.volume.NiftiWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code synthesize ... --out DIR}: the study asked for, its segmentation and volumes, reproducibly; clear refusals. */
class SynthesizeCommandTest {
    record Run(int rc, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream(), stderr = new ByteArrayOutputStream();
        int rc = SynthesizeCommand.run(args, new PrintStream(stdout), new PrintStream(stderr));
        return new Run(rc, stdout.toString(), stderr.toString());
    }

    static List<Path> dicomFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
    }

    static AttributeList read(Path file) throws Exception {
        AttributeList a = new AttributeList();
        a.read(file.toString());
        return a;
    }

    @Test
    void aStudyOfExactlyTheSlicesAskedForWithItsSegmentationAndVolumesTwiceTheSame(@TempDir Path out, @TempDir Path again) throws Exception {
        Run r = run("--count", "5", "--spacing", "3", "--seed", "4", "--renderer", "labels", "--out", out.toString());
        assertEquals(0, r.rc(), r.err());
        List<Path> files = dicomFiles(out);
        assertEquals(6, files.size(), "5 MR images and 1 segmentation");
        List<AttributeList> images = new ArrayList<>();
        AttributeList seg = null;
        for (Path f : files) {
            SyntheticChecks.assertSynthetic(Files.readAllBytes(f));
            AttributeList a = read(f);
            if ("SEG".equals(Attribute.getSingleStringValueOrEmptyString(a, TagFromName.Modality))) {
                seg = a;
            } else {
                images.add(a);
            }
        }
        assertEquals(5, images.size());
        images.sort(Comparator.comparingInt(a -> Attribute.getSingleIntegerValueOrDefault(a, TagFromName.InstanceNumber, 0)));

        // geometry: one frame of reference, positions 3 mm apart along the normal of the orientation, stated thickness
        String frame = Attribute.getSingleStringValueOrEmptyString(seg, TagFromName.FrameOfReferenceUID);
        double[] previous = null;
        for (AttributeList a : images) {
            assertEquals(frame, Attribute.getSingleStringValueOrEmptyString(a, TagFromName.FrameOfReferenceUID));
            double[] o = Attribute.getDoubleValues(a, TagFromName.ImageOrientationPatient);
            double[] normal = {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
            double[] ipp = Attribute.getDoubleValues(a, TagFromName.ImagePositionPatient);
            if (previous != null) {
                double step = 0;
                for (int i = 0; i < 3; i++) {
                    step += (ipp[i] - previous[i]) * normal[i];
                }
                assertEquals(3.0, step, 1e-6, "spacing along the normal");
                assertEquals(previous[0], ipp[0], 1e-9);
                assertEquals(previous[1], ipp[1], 1e-9);
            }
            previous = ipp;
            assertEquals(3.0, Attribute.getSingleDoubleValueOrDefault(a, TagFromName.SliceThickness, 0), 1e-9);
            assertEquals(3.0, Attribute.getSingleDoubleValueOrDefault(a, TagFromName.SpacingBetweenSlices, 0), 1e-9);
            assertTrue(Attribute.getSingleStringValueOrEmptyString(a, TagFromName.SeriesDescription).contains("STAND-IN"));
        }

        // the segmentation references the image series and, frame by frame, the image it segments at its position
        Set<String> imageUids = images.stream().map(a -> Attribute.getSingleStringValueOrEmptyString(a, TagFromName.SOPInstanceUID))
                .collect(Collectors.toSet());
        AttributeList referenced = ((SequenceAttribute) seg.get(TagFromName.ReferencedSeriesSequence)).getItem(0).getAttributeList();
        assertEquals(Attribute.getSingleStringValueOrEmptyString(images.get(0), TagFromName.SeriesInstanceUID),
                Attribute.getSingleStringValueOrEmptyString(referenced, TagFromName.SeriesInstanceUID));
        SequenceAttribute frames = (SequenceAttribute) seg.get(TagFromName.PerFrameFunctionalGroupsSequence);
        assertTrue(frames.getNumberOfItems() >= 5 * 5, "at least five tissues on each of the five slices: " + frames.getNumberOfItems());
        for (int f = 0; f < frames.getNumberOfItems(); f++) {
            AttributeList item = frames.getItem(f).getAttributeList();
            AttributeList derivation = ((SequenceAttribute) item.get(TagFromName.DerivationImageSequence)).getItem(0).getAttributeList();
            AttributeList source = ((SequenceAttribute) derivation.get(TagFromName.SourceImageSequence)).getItem(0).getAttributeList();
            String uid = Attribute.getSingleStringValueOrEmptyString(source, TagFromName.ReferencedSOPInstanceUID);
            assertTrue(imageUids.contains(uid), "frame " + f + " derives from " + uid);
            AttributeList image = images.stream().filter(a -> uid.equals(Attribute.getSingleStringValueOrEmptyString(a, TagFromName.SOPInstanceUID)))
                    .findFirst().orElseThrow();
            AttributeList position = ((SequenceAttribute) item.get(TagFromName.PlanePositionSequence)).getItem(0).getAttributeList();
            assertArrayEquals(Attribute.getDoubleValues(image, TagFromName.ImagePositionPatient),
                    Attribute.getDoubleValues(position, TagFromName.ImagePositionPatient), 1e-9);
        }

        // the NIfTI volumes lie where the DICOM images lie, and hold the segmentation's labels
        LabelVolume labels = LabelVolume.read(out.resolve("labels.nii.gz"));
        assertEquals(256, labels.nx());
        assertEquals(256, labels.ny());
        assertEquals(5, labels.nz());
        NiftiWriter.Grid grid = NiftiWriter.Grid.of(out.resolve("labels.nii.gz"));
        for (int k = 0; k < 5; k++) {
            double[] ipp = Attribute.getDoubleValues(images.get(k), TagFromName.ImagePositionPatient);
            double[] s = grid.srow();
            assertEquals(-ipp[0], s[3], 1e-4);
            assertEquals(-ipp[1], s[7], 1e-4);
            assertEquals(ipp[2], s[10] * k + s[11], 1e-4);
        }
        long whiteMatter = 0;
        for (byte b : labels.labels()) {
            whiteMatter += b == 4 ? 1 : 0;
        }
        assertEquals(whiteMatter, segmentPixels(seg, 4), "white matter voxels in labels.nii.gz and in the segmentation");
        NiftiVolume image = NiftiVolume.read(out.resolve("image.nii.gz"));
        assertEquals(5, image.nz());
        int[] stored = images.get(2).get(TagFromName.PixelData).getShortValues() == null ? null
                : toInts(images.get(2).get(TagFromName.PixelData).getShortValues());
        assertEquals(stored[128 * 256 + 128] / 4.0, image.get(128, 128, 2), 0.125 + 1e-4, "image.nii.gz holds the pixel values");

        JsonNode table = new ObjectMapper().readTree(out.resolve("labels.json").toFile());
        assertEquals(8, table.path("labelTable").size());
        assertEquals("65216001", table.path("labelTable").get(2).path("type").path("code").asText());
        assertEquals(whiteMatter, table.path("labelTable").get(4).path("voxels").asLong());
        JsonNode audit = new ObjectMapper().readTree(out.resolve("memorisation-audit.json").toFile());
        assertEquals(5, audit.path("published").asInt());
        assertEquals(5 + audit.path("redrawn").asInt(), audit.path("generated").asInt());
        assertTrue(audit.path("standInRenderer").asBoolean());
        assertTrue(r.out().contains("5 slices 3.00 mm apart with segmentation"), r.out());
        java.util.regex.Matcher time = java.util.regex.Pattern.compile("time: drew and rendered 5 slices \\(audit and redraws included\\) "
                + "in ([0-9.]+) s; the whole study \\(images and SEG, DICOM, NIfTI and audit written; model loading included\\) "
                + "in ([0-9.]+) s in all").matcher(r.out());
        assertTrue(time.find(), r.out());
        assertTrue(Double.parseDouble(time.group(2)) >= Double.parseDouble(time.group(1)), "the whole includes the drawing: " + r.out());

        // the same request again: the same bytes, file for file
        assertEquals(0, run("--count", "5", "--spacing", "3", "--seed", "4", "--renderer", "labels", "--out", again.toString()).rc());
        List<Path> second = dicomFiles(again);
        assertEquals(files.stream().map(Path::getFileName).toList(), second.stream().map(Path::getFileName).toList());
        for (int i = 0; i < files.size(); i++) {
            assertArrayEquals(Files.readAllBytes(files.get(i)), Files.readAllBytes(second.get(i)), files.get(i).getFileName().toString());
        }
        assertArrayEquals(labels.labels(), LabelVolume.read(again.resolve("labels.nii.gz")).labels());
    }

    /** A command line that names no renderer gets the trained diffusion renderer; the stand-in is asked for by name. */
    @Test
    void theDefaultRendererIsDiffusion() {
        assertEquals("diffusion", SynthesizeCommand.OPTIONS.parse("--count", "2", "--out", "x").get("renderer"));
        assertEquals("labels", SynthesizeCommand.OPTIONS.parse("--count", "2", "--renderer", "labels", "--out", "x").get("renderer"));
        Run help = run("--help");
        assertEquals(0, help.rc());
        assertTrue(help.out().contains("(default diffusion)"), help.out());
    }

    @Test
    void theGeneratorStaysAvailableAsARendererWithoutLabels(@TempDir Path out) throws Exception {
        Run r = run("--count", "2", "--spacing", "5", "--seed", "4", "--renderer", "generator", "--out", out.toString());
        assertEquals(0, r.rc(), r.err());
        List<Path> files = dicomFiles(out);
        assertEquals(2, files.size());
        for (Path f : files) {
            SyntheticChecks.assertSynthetic(Files.readAllBytes(f));
        }
        assertTrue(Files.exists(out.resolve("image.nii.gz")));
        assertFalse(Files.exists(out.resolve("labels.nii.gz")), "the generator draws no labels");
    }

    @Test
    void whatCannotBeHonouredIsRefusedWithTheReason() {
        Run r = run("--count", "3");
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("give --out DIR, --target URL or both"), r.err());
        r = run("--count", "0", "--out", "x");
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("--count must be between 1 and 512"), r.err());
        r = run("--count", "10", "--spacing", "0.2", "--out", "x");
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("spacing must be between 0.5 and 10 mm, got 0.2"), r.err());
        r = run("--count", "100", "--spacing", "2", "--out", "x");
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("100 slices x 2 mm = 200 mm is longer than a head"), r.err());
        r = run("--count", "4", "--renderer", "physics", "--out", "x");
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("--renderer must be one of diffusion, labels, generator"), r.err());
        r = run("--count", "4", "--renderer", "diffusion", "--renderer-model", "target/no-such-renderer", "--out", "x");
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("refused: no trained diffusion renderer at"), r.err());
    }

    /** A model folder the chosen renderer would not load is refused in one line, before any work. */
    @Test
    void aModelOptionTheRendererWouldIgnoreIsRefused(@TempDir Path out) throws Exception {
        for (String renderer : new String[] {"labels", "generator"}) {
            Run r = run("--count", "2", "--renderer", renderer, "--renderer-model", DiffusionLabelRenderer.DEFAULT_MODEL.toString(),
                    "--out", out.toString());
            assertEquals(2, r.rc(), r.err());
            assertEquals("synthesize: refused: --renderer-model is the diffusion renderer's folder, and renderer " + renderer
                    + " does not use it (add --renderer diffusion, or leave --renderer-model out)", r.err().strip());
        }
        Run r = run("--count", "2", "--renderer", "labels", "--model", SynthesizeCommand.DEFAULT_GENERATOR.toString(), "--out", out.toString());
        assertEquals(2, r.rc(), r.err());
        assertEquals("synthesize: refused: --model is the generator's folder, and renderer labels does not use it (add --renderer "
                + "generator, or leave --model out)", r.err().strip());
        // the default renderer, diffusion, takes its model from --renderer-model
        r = run("--count", "2", "--model", SynthesizeCommand.DEFAULT_GENERATOR.toString(), "--out", out.toString());
        assertEquals(2, r.rc(), r.err());
        assertTrue(r.err().strip().startsWith("synthesize: refused: --model is the generator's folder, and renderer diffusion does not "
                + "use it (its model is --renderer-model;"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertEquals(List.of(), dicomFiles(out), "nothing was written");
    }

    /** Set bits over the frames of the segment whose label value is {@code label}. */
    static long segmentPixels(AttributeList seg, int label) throws Exception {
        SequenceAttribute segments = (SequenceAttribute) seg.get(TagFromName.SegmentSequence);
        int number = -1;
        for (int i = 0; i < segments.getNumberOfItems(); i++) {
            String description = Attribute.getSingleStringValueOrEmptyString(segments.getItem(i).getAttributeList(), TagFromName.SegmentLabel);
            if (description.equals("White matter") && label == 4) {
                number = i + 1;
            }
        }
        int pixels = 256 * 256;
        byte[] bits = seg.get(TagFromName.PixelData).getByteValues();
        SequenceAttribute frames = (SequenceAttribute) seg.get(TagFromName.PerFrameFunctionalGroupsSequence);
        long n = 0;
        for (int f = 0; f < frames.getNumberOfItems(); f++) {
            AttributeList content = ((SequenceAttribute) frames.getItem(f).getAttributeList().get(TagFromName.FrameContentSequence))
                    .getItem(0).getAttributeList();
            if (content.get(TagFromName.DimensionIndexValues).getIntegerValues()[0] != number) {
                continue;
            }
            for (int p = 0; p < pixels; p++) {
                int bit = f * pixels + p;
                n += bits[bit / 8] >> (bit % 8) & 1;
            }
        }
        return n;
    }

    private static int[] toInts(short[] s) {
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i] & 0xffff;
        }
        return out;
    }
}
