package io.scanenhancer.cli;

import io.scanenhancer.anatomy.Ch2TissueLabels;
import io.scanenhancer.anatomy.SourceAnatomy;
import io.scanenhancer.synthesis.Ch2Field;
import io.scanenhancer.synthesis.DiffusionLabelRenderer;
import io.scanenhancer.synthesis.RendererValidation;
import io.scanenhancer.synthesis.SliceRenderer;
import io.scanenhancer.synthesis.StudySpec;
import io.scanenhancer.synthesis.StudySynthesizer;
import io.scanenhancer.synthesis.SynthesisEvaluation;
import io.scanenhancer.synthesis.T1StandInRenderer;
import io.scanenhancer.training.SuperResolutionTraining;
import io.scanenhancer.volume.NiftiVolume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./enhancer evaluate-synthesis --seeds N --out DIR}: the measured quality of labelled synthetic studies
 * ({@link SynthesisEvaluation}) with the stand-in or the trained diffusion renderer, as EVALUATION.md and three-views.png.
 */
public final class EvaluateSynthesisCommand {
    static final Args.Spec OPTIONS = Args.spec("evaluate-synthesis", "kernel distance, sharpness, label fidelity, 3-D coherence, "
            + "diversity and the renderer-alone memorisation audit of labelled synthetic studies against ch2 (held-out slab 80..99)")
            .integer("seeds", 2, "studies to draw (seeds 0..N-1), at least 2")
            .integer("count", 128, "slices per study")
            .number("spacing", 1.0, "slice spacing in mm (1: the coronal and sagittal reformats are measured too)")
            .number("threshold", StudySynthesizer.DEFAULT_THRESHOLD, "memorisation threshold, 1 - NCC")
            .text("data", SuperResolutionTraining.DEFAULT_DATA, "ch2.nii.gz: the source anatomy's image and the real reference")
            .choice("renderer", "labels", "labels: the T1 STAND-IN physics renderer; diffusion: the trained diffusion renderer",
                    "labels", "diffusion")
            .text("renderer-model", DiffusionLabelRenderer.DEFAULT_MODEL.toString(), "the diffusion renderer's model folder")
            .option("validate-steps", Args.Kind.INT_LIST, null, "instead of studies: the diffusion renderer on ch2's validation planes "
                    + "(the slab's margins) at each of these sampling step counts, as RENDERER-VALIDATION.md (how its step count is chosen)")
            .text("validate-noise-turn-mm", null, "with --validate-steps: also each of these noise turn distances in mm, "
                    + "comma-separated, 'none' for one shared field (how the renderer's noiseTurnMm is chosen)")
            .text("out", "target/evaluate-synthesis", "folder for EVALUATION.md and three-views.png");

    private EvaluateSynthesisCommand() {
    }

    public static int run(String[] argv) {
        return OPTIONS.run(argv, args -> {
            int seeds = args.getInt("seeds");
            if (seeds < 2) {
                throw new Args.UsageException("--seeds must be at least 2 (diversity compares studies), got " + seeds);
            }
            String refusal = StudySpec.refusal(args.getInt("count"), args.getDouble("spacing"));
            if (refusal != null) {
                throw new Args.UsageException(refusal);
            }
            SourceAnatomy source = SourceAnatomy.ch2(args.path("data"));
            Ch2Field field = new Ch2Field(source, NiftiVolume.read(args.path("data")));
            boolean diffusion = "diffusion".equals(args.get("renderer"));
            if (args.get("validate-steps") != null) {
                if (!diffusion) {
                    throw new Args.UsageException("--validate-steps measures the diffusion renderer: add --renderer diffusion");
                }
                return validate(field, args);
            }
            SliceRenderer renderer = diffusion ? DiffusionLabelRenderer.open(args.path("renderer-model"))
                    : new T1StandInRenderer(Ch2TissueLabels.committedPureMeans());
            try {
                SynthesisEvaluation.run(source, field, renderer, new SynthesisEvaluation.Settings(seeds, args.getInt("count"),
                        args.getDouble("spacing"), args.getDouble("threshold")), args.path("out"), System.out);
            } finally {
                if (renderer instanceof DiffusionLabelRenderer d) {
                    d.close();
                }
            }
            return 0;
        });
    }

    /** The noise turn distances to validate: the renderer's own when none are given; "none" is one shared field. */
    static List<Double> turns(String given, Double configured) {
        List<Double> turns = new ArrayList<>();
        if (given == null) {
            turns.add(configured);
            return turns;
        }
        for (String t : given.split(",")) {
            turns.add(NoiseTurnArgument.parse("--validate-noise-turn-mm", t));
        }
        return turns;
    }

    private static int validate(Ch2Field field, Args args) throws IOException {
        Path model = args.path("renderer-model");
        try (DiffusionLabelRenderer renderer = DiffusionLabelRenderer.open(model)) {
            int[] stepCounts = args.getInts("validate-steps");
            for (int steps : stepCounts) {
                if (steps < 1) {
                    throw new Args.UsageException("--validate-steps must be positive, got " + steps);
                }
            }
            List<RendererValidation.Row> rows = new ArrayList<>(RendererValidation.measure(field, renderer,
                    turns(args.get("validate-noise-turn-mm"), renderer.noiseTurnMm()), stepCounts));
            rows.add(RendererValidation.real(field));
            String md = "# " + renderer.config().id() + " " + renderer.config().version() + " on validation planes\n\nModel folder: `" + model
                    + "`; configured step count " + renderer.config().sampling().steps() + ". Measured by `./enhancer evaluate-synthesis --renderer "
                    + "diffusion --validate-steps ...`.\n\n" + RendererValidation.table("Step count", rows);
            Files.createDirectories(args.path("out"));
            Files.writeString(args.path("out").resolve("RENDERER-VALIDATION.md"), md);
            System.out.print(md);
        }
        return 0;
    }
}
