package io.scanenhancer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.scanenhancer.dicom.DerivedObject;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsSettings;
import io.scanenhancer.synthesis.MemorisationAudit;
import io.scanenhancer.synthesis.StudySynthesizer;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code synthesize --count N --seed S [--out DIR] [--target URL]}: one synthetic MR study (one series of N slices),
 * written as DICOM files and/or stored over STOW-RS; the memorisation audit beside it as JSON. Slices that the audit
 * rejects are neither written nor stored.
 */
public final class SynthesizeCommand {
    static final Path DEFAULT_GENERATOR = Path.of("models/mri-t1-axial-generator-v1");
    private static final String USAGE_TEXT = """
            usage: synthesize --count N --seed S [--out DIR] [--target DICOMWEB_URL] [--model DIR]
                              [--threshold D] [--uid-root ROOT] [--training-data ch2.nii.gz]
              Writes one synthetic MR study (Synthetic Data = YES) to DIR and/or stores it in the PACS at
              DICOMWEB_URL (basic auth from ENHANCER_TARGET_USER / ENHANCER_TARGET_PASSWORD, bearer token from
              ENHANCER_TARGET_TOKEN). Slices closer to a training slice than D (1 - NCC) are not published.""";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SynthesizeCommand() {
    }

    public static int run(String[] argv) {
        return run(argv, System.out, System.err);
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        Args args;
        int count;
        long seed;
        double threshold;
        try {
            args = new Args(argv);
            count = args.getInt("count", 32);
            seed = Long.parseLong(args.get("seed", "0"));
            threshold = args.getDouble("threshold", StudySynthesizer.DEFAULT_THRESHOLD);
            if (args.get("out", null) == null && args.get("target", null) == null) {
                throw new IllegalArgumentException("give --out DIR, --target URL or both");
            }
            if (count < 1 || count > 512) {
                throw new IllegalArgumentException("--count must be between 1 and 512, got " + count);
            }
        } catch (IllegalArgumentException e) {
            err.println("synthesize: " + e.getMessage());
            err.println(USAGE_TEXT);
            return EnhanceCommand.USAGE;
        }
        Path model = Path.of(args.get("model", DEFAULT_GENERATOR.toString()));
        Path trainingData = Path.of(args.get("training-data", TrainCommand.DEFAULT_DATA));
        try (StudySynthesizer synthesizer = StudySynthesizer.open(model, trainingData, threshold, args.get("uid-root", null))) {
            StudySynthesizer.Result r = synthesizer.synthesize(count, seed);
            MemorisationAudit.Report audit = r.audit();
            out.printf("synthesized study %s, series %s: %d slices in %d ms (generator %d ms, super-resolution %d ms); audit: closest distance %.4f, median %.4f, %d rejected (threshold %.4f)%n",
                    r.studyInstanceUid(), r.seriesInstanceUid(), count, r.millis(), r.stack().generateMillis(), r.stack().upscaleMillis(), audit.closestDistance(),
                    audit.medianDistance(), audit.rejected(), audit.threshold());
            String target = args.get("target", null);
            if (target != null) {
                openTarget(target).store(r.objects().stream().map(DerivedObject::part10).toList());
                out.println("stored " + r.objects().size() + " instances in " + URI.create(target).getHost());
            }
            String dir = args.get("out", null);
            if (dir != null) {
                Path outDir = Path.of(dir);
                write(outDir, r);
                out.println("wrote " + r.objects().size() + " DICOM files and memorisation-audit.json to " + outDir.toAbsolutePath());
            }
            return EnhanceCommand.OK;
        } catch (IllegalArgumentException e) {
            err.println("synthesize: " + e.getMessage());
            return EnhanceCommand.USAGE;
        } catch (Exception e) {
            err.println("synthesize failed: " + e);
            return EnhanceCommand.INTERNAL_FAILURE;
        }
    }

    private static Pacs openTarget(String url) {
        return new PacsSettings.DicomWeb("target", URI.create(url), System.getenv("ENHANCER_TARGET_USER"),
                System.getenv("ENHANCER_TARGET_PASSWORD"), System.getenv("ENHANCER_TARGET_TOKEN"), Duration.ofMinutes(2)).open();
    }

    /** Each file appears whole (temporary name, then a move), named by its SOP Instance UID. */
    static void write(Path dir, StudySynthesizer.Result r) throws java.io.IOException {
        Files.createDirectories(dir);
        for (DerivedObject o : r.objects()) {
            Path tmp = dir.resolve(".partial-" + o.sopInstanceUid());
            Files.write(tmp, o.part10());
            Files.move(tmp, dir.resolve(o.sopInstanceUid() + ".dcm"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        JSON.writeValue(dir.resolve("memorisation-audit.json").toFile(), auditJson(r));
    }

    static Map<String, Object> auditJson(StudySynthesizer.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("studyInstanceUid", r.studyInstanceUid());
        m.put("seriesInstanceUid", r.seriesInstanceUid());
        m.put("metric", r.audit().metric());
        m.put("threshold", r.audit().threshold());
        m.put("trainingSlices", r.audit().trainingSlices());
        m.put("generated", r.audit().matches().size());
        m.put("published", r.objects().size());
        m.put("rejected", r.audit().rejected());
        m.put("closestDistance", r.audit().closestDistance());
        m.put("medianDistance", r.audit().medianDistance());
        List<Map<String, Object>> slices = r.audit().matches().stream().map(x -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("slice", x.slice() + 1);
            s.put("nearestTrainingSlice", x.nearestTrainingSlice());
            s.put("distance", x.distance());
            s.put("rejected", x.rejected());
            return s;
        }).toList();
        m.put("slices", slices);
        return m;
    }
}
