package io.scanenhancer.cli;

import io.scanenhancer.training.SuperResolutionTraining;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.scanenhancer.dicom.DerivedObject;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsSettings;
import io.scanenhancer.synthesis.DiffusionLabelRenderer;
import io.scanenhancer.synthesis.MemorisationAudit;
import io.scanenhancer.synthesis.Redraws;
import io.scanenhancer.synthesis.StudyFiles;
import io.scanenhancer.synthesis.StudySpec;
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
 * {@code synthesize --count N --seed S [--spacing MM] [--renderer diffusion|labels|generator] [--out DIR] [--target URL]}:
 * one synthetic MR study of exactly N axial slices MM apart (with the label renderers, diffusion by default, also its
 * DICOM Segmentation), written as DICOM files and/or stored over STOW-RS; with --out also the memorisation audit as
 * JSON and the volume as NIfTI. A slice the audit rejects is drawn again within a budget; what cannot be honoured,
 * an option the chosen renderer would ignore included, is refused with the reason.
 */
public final class SynthesizeCommand {
    static final Path DEFAULT_GENERATOR = Path.of("models/mri-t1-axial-generator-v1");
    static final Args.Spec OPTIONS = Args.spec("synthesize", "writes one synthetic MR study (Synthetic Data = YES) to --out and/or "
            + "stores it in the PACS at --target; a slice closer to a training slice than --threshold (1 - NCC) is drawn again "
            + "(3 times per slice, 10% of the study at most), else the request fails")
            .integer("count", 32, "axial slices, 1 to 512")
            .option("seed", Args.Kind.LONG, "0", "seed of the study")
            .number("spacing", null, "slice spacing in mm, 0.5 to 10 (default 4, or less so that the slab is at most 140 mm)")
            .choice("renderer", StudySpec.Renderer.DEFAULT.id(), "diffusion: a deformed ch2 label volume rendered by the trained "
                    + "label-conditioned diffusion renderer (--renderer-model; about 1.4 s a slice on 2 cores), with a DICOM Segmentation, "
                    + "labels.nii.gz and labels.json; labels: the same, rendered by the fast T1 STAND-IN physics renderer (ch2's own "
                    + "texture); generator: the position-conditioned generator (--model), images only",
                    "diffusion", "labels", "generator")
            .text("renderer-model", DiffusionLabelRenderer.DEFAULT_MODEL.toString(), "the diffusion renderer's model folder "
                    + "(train-renderer ships one to its OUT/model); renderer diffusion only")
            .text("out", null, "folder for the DICOM files, the audit (JSON) and the volume (NIfTI)")
            .text("target", null, "DICOMweb URL to store to (basic auth from ENHANCER_TARGET_USER / ENHANCER_TARGET_PASSWORD, "
                    + "bearer token from ENHANCER_TARGET_TOKEN)")
            .text("model", DEFAULT_GENERATOR.toString(), "generator model folder (with its super-resolution stages); renderer generator only")
            .number("threshold", StudySynthesizer.DEFAULT_THRESHOLD, "memorisation threshold, 1 - NCC")
            .text("uid-root", null, "UID root of the study")
            .text("training-data", SuperResolutionTraining.DEFAULT_DATA, "the volume the generator was trained on (for the audit)");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SynthesizeCommand() {
    }

    public static int run(String[] argv) {
        return run(argv, System.out, System.err);
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        Args args;
        StudySpec spec;
        double threshold;
        try {
            args = OPTIONS.parse(argv);
            if (args.helpRequested()) {
                out.print(OPTIONS.help());
                return EnhanceCommand.OK;
            }
            int count = args.getInt("count");
            long seed = args.getLong("seed");
            threshold = args.getDouble("threshold");
            if (args.get("out") == null && args.get("target") == null) {
                throw new IllegalArgumentException("give --out DIR, --target URL or both");
            }
            if (count < StudySpec.MIN_COUNT || count > StudySpec.MAX_COUNT) {
                throw new IllegalArgumentException("--count must be between 1 and 512, got " + count);
            }
            Double spacing = args.get("spacing") == null ? null : args.getDouble("spacing");
            spec = new StudySpec(count, spacing, seed, StudySpec.Renderer.of(args.get("renderer")));
        } catch (IllegalArgumentException e) {
            err.println("synthesize: " + e.getMessage());
            err.print(OPTIONS.help());
            return EnhanceCommand.USAGE;
        }
        String unused = unusedOption(args, spec.renderer());
        if (unused != null) {
            err.println("synthesize: refused: " + unused);
            return EnhanceCommand.USAGE;
        }
        Path model = args.path("model");
        Path trainingData = args.path("training-data");
        long start = System.nanoTime();
        try (StudySynthesizer synthesizer = StudySynthesizer.open(model, args.path("renderer-model"), trainingData, threshold,
                args.get("uid-root"))) {
            StudySynthesizer.Result r = synthesizer.synthesize(spec);
            MemorisationAudit.Report audit = r.audit();
            out.printf(java.util.Locale.ROOT, "synthesized study %s, series %s: %d slices %.2f mm apart%s in %d ms by %s; audit: closest distance %.4f, median %.4f, %d redrawn (budget %d, threshold %.4f)%n",
                    r.studyInstanceUid(), r.seriesInstanceUid(), r.images().size(), spec.spacing(),
                    r.segmentation() == null ? "" : " with segmentation " + r.segmentation().seriesInstanceUid(), r.millis(), r.method(),
                    audit.closestDistance(), audit.medianDistance(), r.redraws().size(), r.redrawBudget(), audit.threshold());
            String target = args.get("target");
            if (target != null) {
                openTarget(target).store(r.objects().stream().map(DerivedObject::part10).toList());
                out.println("stored " + r.objects().size() + " instances in " + URI.create(target).getHost());
            }
            String dir = args.get("out");
            if (dir != null) {
                Path outDir = Path.of(dir);
                List<String> files = write(outDir, r);
                out.println("wrote " + r.objects().size() + " DICOM files, memorisation-audit.json and " + String.join(", ", files)
                        + " to " + outDir.toAbsolutePath());
            }
            out.println(timeLine(r, target != null, dir != null, (System.nanoTime() - start) / 1_000_000));
            return EnhanceCommand.OK;
        } catch (IllegalArgumentException e) {
            err.println("synthesize: refused: " + e.getMessage());
            return EnhanceCommand.USAGE;
        } catch (Redraws.Exhausted e) {
            err.println("synthesize failed: " + e.getMessage());
            return EnhanceCommand.INTERNAL_FAILURE;
        } catch (Exception e) {
            err.println("synthesize failed: " + e);
            return EnhanceCommand.INTERNAL_FAILURE;
        }
    }

    /**
     * Both times a caller may want, labelled: the drawing alone (what {@code bench} and the model card compare) and the
     * whole command, since model loading, the reference audit and the writing add to what a caller waits for.
     */
    static String timeLine(StudySynthesizer.Result r, boolean stored, boolean written, long totalMillis) {
        List<String> parts = new java.util.ArrayList<>();
        parts.add(r.segmentation() == null ? "images" : "images and SEG");
        if (written) {
            parts.add("DICOM, NIfTI and audit written");
        }
        if (stored) {
            parts.add("stored");
        }
        int n = r.images().size();
        return String.format(java.util.Locale.ROOT, "time: drew and rendered %d slice%s (audit and redraws included) in %.1f s; "
                        + "the whole study (%s; model loading included) in %.1f s in all",
                n, n == 1 ? "" : "s", r.millis() / 1000.0, String.join(", ", parts), totalMillis / 1000.0);
    }

    /**
     * Why an option on the command line would be ignored by the chosen renderer, or null: a caller who names a model
     * folder expects that model to make the study, so silently rendering with another one would mislead.
     */
    static String unusedOption(Args args, StudySpec.Renderer renderer) {
        if (args.given("renderer-model") && renderer != StudySpec.Renderer.DIFFUSION) {
            return "--renderer-model is the diffusion renderer's folder, and renderer " + renderer.id()
                    + " does not use it (add --renderer diffusion, or leave --renderer-model out)";
        }
        if (args.given("model") && renderer != StudySpec.Renderer.GENERATOR) {
            return "--model is the generator's folder, and renderer " + renderer.id() + " does not use it "
                    + (renderer == StudySpec.Renderer.DIFFUSION ? "(its model is --renderer-model; " : "(")
                    + "add --renderer generator, or leave --model out)";
        }
        return null;
    }

    private static Pacs openTarget(String url) {
        return new PacsSettings.DicomWeb("target", URI.create(url), System.getenv("ENHANCER_TARGET_USER"),
                System.getenv("ENHANCER_TARGET_PASSWORD"), System.getenv("ENHANCER_TARGET_TOKEN"), Duration.ofMinutes(2)).open();
    }

    /** Each DICOM file appears whole (temporary name, then a move), named by its SOP Instance UID; returns the NIfTI/JSON files. */
    static List<String> write(Path dir, StudySynthesizer.Result r) throws java.io.IOException {
        Files.createDirectories(dir);
        for (DerivedObject o : r.objects()) {
            Path tmp = dir.resolve(".partial-" + o.sopInstanceUid());
            Files.write(tmp, o.part10());
            Files.move(tmp, dir.resolve(o.sopInstanceUid() + ".dcm"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        JSON.writeValue(dir.resolve("memorisation-audit.json").toFile(), auditJson(r));
        return StudyFiles.write(dir, r);
    }

    static Map<String, Object> auditJson(StudySynthesizer.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("studyInstanceUid", r.studyInstanceUid());
        m.put("seriesInstanceUid", r.seriesInstanceUid());
        m.put("renderer", r.rendererId() + " " + r.rendererVersion());
        m.put("standInRenderer", r.standIn());
        m.put("method", r.method());
        m.put("spacingMm", r.spec().spacing());
        m.put("metric", r.audit().metric());
        m.put("threshold", r.audit().threshold());
        m.put("trainingSlices", r.audit().trainingSlices());
        m.put("generated", r.audit().matches().size() + r.redraws().size());
        m.put("published", r.images().size());
        m.put("rejected", r.redraws().size());
        m.put("redrawn", r.redraws().size());
        m.put("redrawBudget", Map.of("perSlice", Redraws.PER_SLICE, "study", r.redrawBudget()));
        m.put("redraws", r.redraws().stream().map(x -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("slice", x.slice() + 1);
            d.put("attempt", x.attempt());
            d.put("rejectedDistance", x.rejectedDistance());
            d.put("nearestTrainingSlice", x.nearestTrainingSlice());
            return d;
        }).toList());
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
