package io.scanenhancer.training;

import io.scanenhancer.diffusion.TrainingBatch;
import io.scanenhancer.volume.HeldOutSlab;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code train} with every v3 option at its default draws exactly the pairs v2 was trained on: the checksums below
 * were printed by the code before the options existed (commit b97dd4d), so v2's recipe stays reproducible.
 */
class V2RecipeTest {
    private static final Path CH2 = Path.of(SuperResolutionTraining.DEFAULT_DATA);
    /** SHA-256 of the high- and low-resolution arrays of the batch of 4 patches of 32 drawn from new Random(5). */
    static final String V2_BATCH = "ce28bc50ad90374a9a27278489bdfecf20c78eb525d15fb5a348107e0cc3d28e";
    /** estimateResidualScale(data, new Random(20261125), 64) as float bits. */
    static final int V2_RESIDUAL_SCALE_BITS = 1085290307; // 5.506746f

    @Test
    void theDefaultRecipeDrawsV2sPairsAndResidualScale() throws IOException {
        MriTrainingData data = MriTrainingData.load(CH2, HeldOutSlab.CH2, 1, 99);
        TrainingBatch b = data.nextBatch(new Random(5), 4, 32);
        float scale = SuperResolutionTraining.estimateResidualScale(data, new Random(20261125), 64);
        assertEquals(V2_BATCH, sha256(b));
        assertEquals(V2_RESIDUAL_SCALE_BITS, Float.floatToIntBits(scale));
    }

    static String sha256(TrainingBatch b) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * (b.highRes().length + b.lowRes().length));
        bytes.asFloatBuffer().put(b.highRes()).put(b.lowRes());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
