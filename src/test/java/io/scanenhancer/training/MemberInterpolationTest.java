package io.scanenhancer.training;

import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemberInterpolationTest {
    @TempDir
    Path dir;

    @Test
    void theFolderLoadsWithItsChecksumsAndRecordsBothSources() throws IOException {
        Path from = member("from", 1), to = member("to", 4);
        ModelConfig written = MemberInterpolation.write(from, to, 0.75, "9", dir.resolve("mix"));

        assertEquals("9", written.version());
        try (PretrainedModel diffusion = PretrainedModel.load(dir.resolve("mix"));
             PretrainedModel prior = PretrainedModel.loadPrior(dir.resolve("mix"))) {
            assertTrue(diffusion.parameterCount() > 0 && prior.parameterCount() > 0);
        }
        ModelConfig read = ModelConfig.read(dir.resolve("mix/config.json"));
        assertEquals(PretrainedModel.sha256(dir.resolve("mix/weights.params")), read.weightsSha256());
        assertNotEquals(ModelConfig.read(to.resolve("config.json")).weightsSha256(), read.weightsSha256());
        Map<?, ?> interpolation = (Map<?, ?>) read.training().details().get("interpolation");
        assertEquals(0.75, ((Number) interpolation.get("alpha")).doubleValue());
        assertTrue(interpolation.get("from").toString().contains(ModelConfig.read(from.resolve("config.json")).weightsSha256()));
        assertTrue(interpolation.get("to").toString().contains(ModelConfig.read(to.resolve("config.json")).priorWeightsSha256()));
    }

    @Test
    void networksOfDifferentWidthsOrAnExistingModelAreRefused() throws IOException {
        Path from = member("from", 1), to = member("to", 2);
        ModelConfig c = ModelConfig.read(to.resolve("config.json"));
        Path wide = Files.createDirectories(dir.resolve("wide"));
        Files.copy(to.resolve("weights.params"), wide.resolve("weights.params"));
        Files.copy(to.resolve("baseline-regression.params"), wide.resolve("baseline-regression.params"));
        new ModelConfig(c.id(), c.version(), c.scale(), new int[] {16, 32, 32}, c.prediction(), c.schedule(), c.trainTimesteps(),
                c.residualScale(), c.normalisation(), c.sampling(), c.guard(), c.training(), c.weightsFile(), c.weightsSha256(),
                c.priorWeightsFile(), c.priorWeightsSha256(), c.formulation(), c.degradations(), c.spreadCalibration())
                .write(wide.resolve("config.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemberInterpolation.write(from, wide, 0.5, null, dir.resolve("x")));
        assertTrue(e.getMessage().contains("widths"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MemberInterpolation.write(from, to, 0.5, null, to));
    }

    /** A tiny model folder with both networks (the prior is a copy of the diffusion network: only the files matter here). */
    private Path member(String name, int steps) throws IOException {
        Path d = TinyModels.ship(Files.createDirectories(dir.resolve(name)), steps);
        Files.copy(d.resolve("weights.params"), d.resolve("baseline-regression.params"));
        ModelConfig c = ModelConfig.read(d.resolve("config.json"));
        c.withPrior("baseline-regression.params", PretrainedModel.sha256(d.resolve("baseline-regression.params"))).write(d.resolve("config.json"));
        return d;
    }
}
