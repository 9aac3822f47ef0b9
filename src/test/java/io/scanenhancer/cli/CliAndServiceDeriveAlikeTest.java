package io.scanenhancer.cli;

import io.scanenhancer.dicom.SourceImage;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.job.EnhanceStudyCommand;
import io.scanenhancer.job.EnhanceStudyJob;
import io.scanenhancer.job.EnhancerChoice;
import io.scanenhancer.job.StudyOutcome;
import io.scanenhancer.pacs.InMemoryPacs;
import io.scanenhancer.pacs.PacsRegistry;
import io.scanenhancer.pipeline.PipelineSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./enhancer enhance} and the service's job, given the same slices of the sample series and the same settings,
 * write the same derived objects byte for byte: same SOP and Series Instance UIDs, same pixels, same file. The job
 * runs as the service assembles it (its batch size, the enhancer's network batch, fall-back guard) against in-memory
 * PACS; the command runs in-process. Bicubic, the diffusion model at its defaults, and with an uncertainty series.
 */
class CliAndServiceDeriveAlikeTest {
    private static final Path SAMPLE = Path.of("samples/mr-t1-colin27");

    @TempDir
    Path tmp;

    @Test
    void bicubicGivesTheSameObjectsEitherWay() throws Exception {
        assertAlike(Enhancers.BICUBIC, 3, null);
    }

    @Test
    void theDiffusionModelAtItsDefaultsGivesTheSameObjectsEitherWay() throws Exception {
        assertAlike(Enhancers.DIFFUSION, 2, null);
    }

    @Test
    void anUncertaintySeriesIsTheSameEitherWayToo() throws Exception {
        assertAlike(Enhancers.DIFFUSION, 2, 2);
    }

    /** @param uncertainty posterior samples for an uncertainty series, or null for none */
    private void assertAlike(String kind, int slices, Integer uncertainty) throws Exception {
        List<Path> inputs;
        try (Stream<Path> files = Files.list(SAMPLE)) {
            inputs = files.filter(f -> f.toString().endsWith(".dcm")).sorted().limit(slices).toList();
        }
        Path in = Files.createDirectories(tmp.resolve("in"));
        InMemoryPacs source = new InMemoryPacs("source");
        for (Path f : inputs) {
            Files.copy(f, in.resolve(f.getFileName()));
            source.put(Files.readAllBytes(f));
        }
        int objectsPerSlice = uncertainty == null ? 1 : 2;

        Path cliOut = tmp.resolve("cli");
        List<String> args = new ArrayList<>(List.of(in.toString(), cliOut.toString(), "--enhancer", kind));
        if (uncertainty != null) {
            // area named: a model trained for area only (v2) has no posterior for MR's kspace default
            args.addAll(List.of("--uncertainty", uncertainty.toString(), "--degradation", "area"));
        }
        String[] cliArgs = args.toArray(String[]::new);
        EnhanceCommandTest.Result cli = EnhanceCommandTest.run(cliArgs);
        assertEquals(0, cli.exit(), cli.err());
        assertTrue(cli.err().contains(slices + " enhanced, 0 refused, 0 failed"), cli.err());
        Map<String, byte[]> byCli = new TreeMap<>();
        try (Stream<Path> files = Files.list(cliOut)) {
            for (Path f : files.toList()) {
                byCli.put(f.getFileName().toString().replaceFirst("\\.dcm$", ""), Files.readAllBytes(f));
            }
        }

        InMemoryPacs target = new InMemoryPacs("target");
        PipelineSettings.Model service = PipelineSettings.Model.defaults();
        String study = SourceImage.read(inputs.get(0)).studyInstanceUid();
        StudyOutcome outcome;
        try (var enhancer = EnhancerChoice.open(kind, null, false, service.maxBatch(), service.memoryBudgetBytes()).enhancer()) {
            EnhanceStudyJob job = new EnhanceStudyJob(new PacsRegistry(Map.of("source", source, "target", target)), enhancer, null,
                    service.batchSize());
            outcome = job.run(new EnhanceStudyCommand("alike", study, List.of(), "source", "target", 2,
                    EnhanceCommand.Options.parse(cliArgs).settings())); // the request asks what the command line did
        }
        assertEquals(Enhancers.BICUBIC.equals(kind), "bicubic".equals(outcome.modelId()), "the service ran " + outcome.modelId());
        Map<String, byte[]> byService = new TreeMap<>();
        for (String series : target.series(study)) {
            List<String> uids = target.instances(study, series);
            List<Path> files = target.retrieveTo(study, series, Files.createDirectories(tmp.resolve("service").resolve(series)));
            for (int i = 0; i < uids.size(); i++) {
                byService.put(uids.get(i), Files.readAllBytes(files.get(i)));
            }
        }

        assertEquals(slices * objectsPerSlice, byService.size(), "derived objects the service stored");
        assertEquals(byService.keySet(), byCli.keySet(), "SOP Instance UIDs (the CLI names its files by them)");
        assertEquals(objectsPerSlice, target.series(study).size(), "derived series" + (uncertainty == null ? "" : " and uncertainty series"));
        for (String sop : byService.keySet()) {
            SourceImage fromCli = SourceImage.read(byCli.get(sop)), fromService = SourceImage.read(byService.get(sop));
            assertEquals(fromService.seriesInstanceUid(), fromCli.seriesInstanceUid(), sop);
            assertArrayEquals(fromService.frame(0).pixels(), fromCli.frame(0).pixels(), sop);
            assertArrayEquals(byService.get(sop), byCli.get(sop), "the whole file of " + sop);
        }
    }
}
