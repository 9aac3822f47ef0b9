package io.scanenhancer.dicom;

import io.scanenhancer.image.EnhancedImage;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Corrupted copies of real files (random bytes changed in the header, random truncations): every one is read or
 * refused with a reason; nothing else escapes, nothing allocates far beyond the file, and whatever is read can be written.
 */
class MutatedInputTest {

    @Test
    void corruptedFilesAreReadOrRefusedNeverCrash() throws Exception {
        Random random = new Random(20261126);
        int read = 0, refused = 0;
        List<String> crashes = new ArrayList<>();
        for (String name : new String[] {"MR_small.dcm", "CT_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm", "image_dfl.dcm"}) {
            byte[] original = Files.readAllBytes(TestFiles.pydicom(name));
            for (int trial = 0; trial < 150; trial++) {
                byte[] b;
                if (trial % 3 == 0) {
                    b = java.util.Arrays.copyOf(original, random.nextInt(original.length));
                } else {
                    b = original.clone();
                    int headerEnd = Math.min(b.length, 2000);
                    for (int k = 1 + random.nextInt(6); k > 0; k--) {
                        b[random.nextInt(headerEnd)] = (byte) random.nextInt(256);
                    }
                }
                long before = allocated();
                try {
                    SourceImage s = SourceImage.read(b);
                    List<EnhancedImage> frames = TestInputs.replicate(s, 2);
                    DerivedImageWriter.write(s, frames, TestInputs.derivation("fuzz"));
                    read++;
                } catch (RefusedInputException e) {
                    assertTrue(e.reason() != null && !e.reason().isBlank());
                    refused++;
                } catch (RuntimeException | Error e) {
                    crashes.add(name + " trial " + trial + ": " + e);
                }
                long used = allocated() - before;
                if (used > 64L * b.length + (64L << 20)) {
                    crashes.add(name + " trial " + trial + ": allocated " + used + " bytes for a " + b.length + "-byte input");
                }
            }
        }
        System.out.println("mutated inputs: " + read + " read and written, " + refused + " refused, " + crashes.size() + " crashed");
        if (!crashes.isEmpty()) {
            fail(crashes.size() + " crashes:\n" + String.join("\n", crashes.subList(0, Math.min(20, crashes.size()))));
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
