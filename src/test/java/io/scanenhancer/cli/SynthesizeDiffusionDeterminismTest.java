package io.scanenhancer.cli;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.synthesis.DiffusionLabelRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same seed gives the same study, bit for bit, with the trained diffusion renderer too: two runs of the command
 * (model loaded afresh each time, slices rendered in parallel) write the same files. The UIDs are functions of the
 * request, so whole files are compared: pixel data, the Segmentation, the NIfTI volumes, the label table and the
 * audit. Two slices keep it to seconds (about 2 s a slice on 2 cores).
 */
class SynthesizeDiffusionDeterminismTest {
    static final String[] REQUEST = {"--count", "2", "--spacing", "3", "--seed", "13", "--renderer", "diffusion"};

    static SynthesizeCommandTest.Run synthesize(Path out) {
        String[] args = Stream.concat(Stream.of(REQUEST), Stream.of("--out", out.toString())).toArray(String[]::new);
        return SynthesizeCommandTest.run(args);
    }

    static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void twoRunsWithTheSameSeedWriteTheSameBytes(@TempDir Path first, @TempDir Path second) throws Exception {
        SynthesizeCommandTest.Run a = synthesize(first);
        assertEquals(0, a.rc(), a.err());
        SynthesizeCommandTest.Run b = synthesize(second);
        assertEquals(0, b.rc(), b.err());
        // where the test's time goes (the command's own time lines), for when the suite gets slow
        System.out.print(a.out() + b.out());

        List<Path> one = files(first), two = files(second);
        assertEquals(one.stream().map(Path::getFileName).toList(), two.stream().map(Path::getFileName).toList());
        List<String> names = one.stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("image.nii.gz", "labels.nii.gz", "labels.json", "memorisation-audit.json")), names.toString());
        assertEquals(3, names.stream().filter(n -> n.endsWith(".dcm")).count(), "2 MR images and 1 segmentation: " + names);
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(Files.readAllBytes(one.get(i)), Files.readAllBytes(two.get(i)), one.get(i).getFileName().toString());
        }

        // what was compared is the trained renderer's output, not the stand-in's, and has content
        int images = 0;
        for (Path f : SynthesizeCommandTest.dicomFiles(first)) {
            AttributeList dicom = SynthesizeCommandTest.read(f);
            if (!"MR".equals(Attribute.getSingleStringValueOrEmptyString(dicom, TagFromName.Modality))) {
                continue;
            }
            images++;
            assertEquals(DiffusionLabelRenderer.SERIES_DESCRIPTION, Attribute.getSingleStringValueOrEmptyString(dicom, TagFromName.SeriesDescription));
            short[] pixels = dicom.get(TagFromName.PixelData).getShortValues();
            assertEquals(256 * 256, pixels.length);
            assertTrue(distinctValues(pixels) > 100, "a rendered head, not a blank: " + f.getFileName());
        }
        assertEquals(2, images);
    }

    private static long distinctValues(short[] pixels) {
        java.util.BitSet seen = new java.util.BitSet(1 << 16);
        for (short p : pixels) {
            seen.set(p & 0xffff);
        }
        return seen.cardinality();
    }
}
