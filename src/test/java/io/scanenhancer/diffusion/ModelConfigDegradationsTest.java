package io.scanenhancer.diffusion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The config's "degradations" field: absent means area (every model before issue 20), and absent stays absent. */
class ModelConfigDegradationsTest {
    private static final Path V2 = Path.of("models/sr3-mri-t1-v2/config.json");

    @Test
    void v2DeclaresNothingAndSoHandlesAreaOnly(@TempDir Path dir) throws Exception {
        ModelConfig v2 = ModelConfig.read(V2);
        assertEquals(List.of("area"), v2.trainedDegradations());
        v2.write(dir.resolve("config.json"));
        assertFalse(Files.readString(dir.resolve("config.json")).contains("degradations"), "a rewritten config keeps its bytes' fields");
    }

    @Test
    void aDeclaredListIsReadAsWritten(@TempDir Path dir) throws Exception {
        String json = Files.readString(V2).replaceFirst("\"scale\" : 2,", "\"scale\" : 2,\n  \"degradations\" : [ \"area\", \"kspace\" ],");
        Files.writeString(dir.resolve("config.json"), json);
        assertEquals(List.of("area", "kspace"), ModelConfig.read(dir.resolve("config.json")).trainedDegradations());
    }
}
