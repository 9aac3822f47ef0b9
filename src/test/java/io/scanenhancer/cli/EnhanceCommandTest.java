package io.scanenhancer.cli;

import io.scanenhancer.derivation.DerivationFactory;
import io.scanenhancer.dicom.Dciodvfy;
import io.scanenhancer.dicom.DerivedUids;
import io.scanenhancer.dicom.SourceImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnhanceCommandTest {
    static final Path PYDICOM = EnhanceCommandCorpusTest.PYDICOM;

    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int exit = EnhanceCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Patches the US values of Rows and Columns in an explicit VR little endian file, as a hostile sender would. */
    static byte[] withRowsAndColumns(byte[] b, int value) {
        for (int element : new int[] {0x10, 0x11}) {
            byte[] tag = {0x28, 0x00, (byte) element, 0x00, 'U', 'S', 0x02, 0x00};
            int at = indexOf(b, tag);
            b[at + 8] = (byte) value;
            b[at + 9] = (byte) (value >> 8);
        }
        return b;
    }

    static int indexOf(byte[] b, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= b.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (b[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run().exit());
        assertEquals(2, run("only-one").exit());
        assertEquals(2, run(tmp.toString(), tmp.resolve("o").toString(), "--steps", "zero").exit());
        assertEquals(2, run(tmp.toString(), tmp.resolve("o").toString(), "--enhancer", "lanczos").exit());
        assertEquals(2, run(tmp.toString(), tmp.resolve("o").toString(), "--frobnicate", "1").exit());
        Result missing = run(tmp.resolve("does-not-exist").toString(), tmp.resolve("o").toString(), "--enhancer", "bicubic");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("does not exist"), missing.err());
    }

    @Test
    void anUnavailableModelIsReportedNotSilentlyReplaced() throws Exception {
        Files.createDirectories(tmp.resolve("in"));
        Result r = run(tmp.resolve("in").toString(), tmp.resolve("out").toString(), "--enhancer", "diffusion", "--model", tmp.resolve("no-model").toString());
        if (r.exit() == 0) {
            return; // the diffusion enhancer opened (model present): nothing to report
        }
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("the diffusion enhancer cannot be opened") && r.err().contains("--enhancer bicubic"), r.err());
    }

    @Test
    void enhancesRefusesWithReasonsAndRerunsToTheSameBytes() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in")), out = tmp.resolve("out");
        Files.copy(PYDICOM.resolve("CT_small.dcm"), in.resolve("ct.dcm"));
        Files.copy(PYDICOM.resolve("MR_small.dcm"), in.resolve("mr.dcm"));
        Files.copy(PYDICOM.resolve("MR_truncated.dcm"), in.resolve("truncated.dcm"));
        Files.copy(PYDICOM.resolve("MR_small_jp2klossless.dcm"), in.resolve("j2k.dcm"));
        Files.writeString(in.resolve("notes.txt"), "not an image");
        Files.write(in.resolve("hostile.dcm"), withRowsAndColumns(Files.readAllBytes(PYDICOM.resolve("MR_small.dcm")), 60000));

        Result first = run(in.toString(), out.toString(), "--enhancer", "bicubic", "--seed", "7");
        assertEquals(0, first.exit(), first.err());
        List<String> refused = first.err().lines().filter(l -> l.startsWith("refused ")).toList();
        assertEquals(List.of(
                "refused hostile.dcm: absurd dimensions: 60000 x 60000 pixels x 1 frames exceeds the limits (edge <= 4096, frames <= 4096, 67108864 pixels in all)",
                "refused j2k.dcm: compressed transfer syntax JPEG 2000 lossless (1.2.840.10008.1.2.4.90) is not supported; ask the PACS for explicit VR little endian",
                "refused notes.txt: not a DICOM file: no DICM prefix and no data set at the start",
                "refused truncated.dcm: pixel data truncated: Pixel Data claims 8192 bytes but only 8130 remain"), refused);
        assertTrue(first.err().contains("2 enhanced, 4 refused, 0 failed"), first.err());

        SourceImage ct = SourceImage.read(in.resolve("ct.dcm"));
        String expectedName = DerivedUids.instanceUid(ct.sopInstanceUid(),
                new DerivationFactory(io.scanenhancer.enhance.Enhancers.open("bicubic", null),
                        EnhanceCommand.Options.parse(new String[] {"a", "b", "--seed", "7"}).settings(), null).identity()) + ".dcm";
        Path ctOut = out.resolve(expectedName);
        assertTrue(Files.exists(ctOut), "derived CT named by its derived SOP Instance UID: " + expectedName);
        Dciodvfy.assertValid(ctOut, "CLI CT");
        byte[] firstBytes = Files.readAllBytes(ctOut);

        Files.writeString(out.resolve(".partial-123.tmp"), "left by a killed run");
        Result second = run(in.toString(), out.toString(), "--enhancer", "bicubic", "--seed", "7");
        assertEquals(0, second.exit());
        assertArrayEquals(firstBytes, Files.readAllBytes(ctOut), "rerun writes the very same object");
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(2, files.count(), "two objects, no leftovers from temp files");
        }
        // our own outputs fed back in (as PACS events would) are refused, not enhanced again
        Result loop = run(out.toString(), tmp.resolve("out2").toString(), "--enhancer", "bicubic");
        assertEquals(0, loop.exit());
        assertTrue(loop.err().contains("refused " + expectedName + ": already AI-enhanced by Scan Enhancer (bicubic 1); enhancing it again would compound the model's output"), loop.err());
        assertTrue(loop.err().contains("0 enhanced, 2 refused, 0 failed"), loop.err());

        Result otherSeed = run(in.toString(), out.toString(), "--enhancer", "bicubic", "--seed", "8");
        assertEquals(0, otherSeed.exit());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(4, files.count(), "different parameters give different derived instances");
        }
    }

    @Test
    void degradationKspaceGivesZeroFillingAndIsRefusedWithUncertaintyWhereTheModelCannotDoIt() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(PYDICOM.resolve("MR_small.dcm"), in.resolve("mr.dcm"));
        assertEquals(2, run(in.toString(), tmp.resolve("o").toString(), "--degradation", "box").exit());

        Path out = tmp.resolve("kspace");
        Result r = run(in.toString(), out.toString(), "--enhancer", "bicubic", "--degradation", "kspace");
        assertEquals(0, r.exit(), r.err());
        Path written;
        try (Stream<Path> files = Files.list(out)) {
            written = files.findFirst().orElseThrow();
        }
        SourceImage derived = SourceImage.read(written);
        io.scanenhancer.image.FloatImage zeroFilled = io.scanenhancer.enhance.KspaceDegradation.zeroFill(
                SourceImage.read(in.resolve("mr.dcm")).frame(0), 2);
        float[] got = derived.frame(0).pixels();
        for (int i = 0; i < got.length; i++) {
            assertTrue(Math.abs(got[i] - zeroFilled.pixels()[i]) <= 1, "pixel " + i + ": " + got[i] + " vs " + zeroFilled.pixels()[i]);
        }

        // v2 is trained for area only: it has no posterior for kspace inputs (v3, the default, has)
        Result refused = run(in.toString(), tmp.resolve("u").toString(), "--model", "models/sr3-mri-t1-v2", "--degradation", "kspace", "--uncertainty", "4");
        assertEquals(2, refused.exit(), refused.err());
        assertTrue(refused.err().contains("an uncertainty series needs a model trained for kspace inputs"), refused.err());
    }
}
