package io.scanenhancer.cli;

import io.scanenhancer.derivation.DerivationFactory;
import io.scanenhancer.derivation.UncertaintyUnavailableException;
import io.scanenhancer.dicom.DerivedImageWriter;
import io.scanenhancer.dicom.DerivedObject;
import io.scanenhancer.dicom.RefusedInputException;
import io.scanenhancer.dicom.SourceImage;
import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.image.FloatImage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code enhance IN_DIR OUT_DIR}: every file under IN_DIR is either enhanced into OUT_DIR or refused with a reason
 * on stderr ("refused FILE: REASON"). Outputs appear atomically (temp name, then move), named by their SOP Instance
 * UID, so a crash never leaves a partial object and a rerun rewrites the very same files.
 * Exit 0 when every input was enhanced or refused; 2 for usage errors; 1 when something failed internally.
 */
public final class EnhanceCommand {
    static final int OK = 0;
    static final int INTERNAL_FAILURE = 1;
    static final int USAGE = 2;
    private static final String TEMP_PREFIX = ".partial-";

    private static final java.util.logging.Logger PIXELMED_LOG = java.util.logging.Logger.getLogger("com.pixelmed");

    private EnhanceCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        // PixelMed reports every tolerated irregularity at INFO; stderr is for refusals, so keep only its warnings.
        PIXELMED_LOG.setLevel(java.util.logging.Level.WARNING);
        Options o;
        try {
            Args parsed = OPTIONS.parse(args);
            if (parsed.helpRequested()) {
                out.print(OPTIONS.help());
                return OK;
            }
            o = Options.of(parsed);
        } catch (IllegalArgumentException e) {
            err.println("enhance: " + e.getMessage());
            err.print(OPTIONS.help());
            return USAGE;
        }
        if (!Files.isDirectory(o.in)) {
            err.println("enhance: input folder " + o.in + " does not exist");
            return USAGE;
        }
        List<Path> inputs;
        try {
            Files.createDirectories(o.out);
            try (Stream<Path> walk = Files.walk(o.in)) {
                inputs = walk.filter(Files::isRegularFile).sorted().toList();
            }
        } catch (IOException e) {
            err.println("enhance: cannot list " + o.in + " or create " + o.out + ": " + e.getMessage());
            return INTERNAL_FAILURE;
        }
        removeStaleTemporaryFiles(o.out, err);
        Enhancer enhancer;
        try {
            enhancer = Enhancers.open(o.enhancer, o.model);
        } catch (RuntimeException e) {
            err.println("enhance: the " + o.enhancer + " enhancer cannot be opened (" + e.getMessage() + ")"
                    + (Enhancers.DIFFUSION.equals(o.enhancer) ? "; pass --enhancer bicubic to use interpolation instead" : ""));
            return INTERNAL_FAILURE;
        }
        int enhanced = 0, refused = 0, failed = 0;
        try (enhancer) {
            // one factory per degradation: files that do not name it get theirs from their modality (kspace for MR)
            java.util.Map<Degradation, DerivationFactory> factories = new java.util.EnumMap<>(Degradation.class);
            java.util.Map<Degradation, String> impossible = new java.util.EnumMap<>(Degradation.class);
            for (Degradation d : o.degradation != null ? List.of(o.degradation) : List.of(Degradation.values())) {
                DerivationFactory f = new DerivationFactory(enhancer, o.settings().withDegradation(d), o.uidRoot, o.seriesNumberOffset);
                try {
                    f.requireUncertaintyPossible(); // once, not as a failure per file
                } catch (UncertaintyUnavailableException e) {
                    if (o.degradation != null) {
                        err.println("enhance: " + e.getMessage());
                        return USAGE;
                    }
                    impossible.put(d, e.getMessage()); // files of this degradation are refused with this reason
                    continue;
                }
                factories.put(d, f);
            }
            for (Path file : inputs) {
                Path shown = o.in.relativize(file);
                try {
                    SourceImage source;
                    try {
                        source = SourceImage.read(file);
                    } catch (IOException e) {
                        throw new RefusedInputException(RefusedInputException.Category.NOT_DICOM, "cannot read the file (" + e.getClass().getSimpleName() + ")");
                    }
                    source.requireNotAlreadyEnhanced();
                    EnhanceSettings settings = o.settings().resolvedFor(List.of(String.valueOf(source.modality())));
                    DerivationFactory derivations = factories.get(settings.degradationOrDefault());
                    if (derivations == null) {
                        err.println("refused " + shown + ": " + impossible.get(settings.degradationOrDefault())
                                + " (" + settings.degradationOrDefault().id() + " is the default for its modality; --degradation names another)");
                        refused++;
                        continue;
                    }
                    List<Path> written = enhanceOne(source, enhancer, settings, derivations, o.out);
                    out.println("enhanced " + shown + " -> " + o.out.relativize(written.get(0))
                            + (written.size() > 1 ? " (uncertainty " + o.out.relativize(written.get(1)) + ")" : ""));
                    enhanced++;
                } catch (RefusedInputException e) {
                    err.println("refused " + shown + ": " + e.reason());
                    refused++;
                } catch (IOException | RuntimeException e) {
                    err.println("failed " + shown + ": " + e);
                    failed++;
                }
            }
        }
        err.println("enhance: " + enhanced + " enhanced, " + refused + " refused, " + failed + " failed");
        return failed == 0 ? OK : INTERNAL_FAILURE;
    }

    /** The derived object's file, and with --uncertainty the uncertainty object's file after it. */
    private static List<Path> enhanceOne(SourceImage source, Enhancer enhancer, EnhanceSettings settings, DerivationFactory derivations,
                                         Path out) throws IOException {
        List<FloatImage> frames = new ArrayList<>(source.frameCount());
        for (int f = 0; f < source.frameCount(); f++) {
            frames.add(source.frame(f));
        }
        List<Path> written = new ArrayList<>();
        for (DerivedObject derived : derivations.write(source, enhancer.enhanceAll(frames, settings)).objects()) {
            written.add(writeChecked(derived, out));
        }
        return written;
    }

    private static Path writeChecked(DerivedObject derived, Path out) throws IOException {
        try {
            // never publish what we could not read back ourselves
            SourceImage.read(derived.part10());
        } catch (RefusedInputException e) {
            throw new IllegalStateException("the derived object does not read back: " + e.reason(), e);
        }
        Path target = out.resolve(derived.sopInstanceUid() + ".dcm");
        Path tmp = Files.createTempFile(out, TEMP_PREFIX, ".tmp");
        try {
            Files.write(tmp, derived.part10());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** Temporary files of ours left by a killed run (never complete objects: those are only ever moved into place). */
    private static void removeStaleTemporaryFiles(Path out, PrintStream err) {
        try (Stream<Path> files = Files.list(out)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX) && p.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            err.println("enhance: could not clean temporary files in " + out + ": " + e.getMessage());
        }
    }

    static final Args.Spec OPTIONS = Args.spec("enhance", "enhances every DICOM image under IN_DIR into OUT_DIR; prints 'refused FILE: REASON' on stderr "
            + "for each input that cannot be enhanced")
            .positional("IN_DIR", "folder of DICOM files (searched recursively)")
            .positional("OUT_DIR", "folder for the derived objects, named by SOP Instance UID")
            .text("enhancer", Enhancers.DIFFUSION, "diffusion or bicubic")
            .text("model", null, "model folder (default models/sr3-mri-t1-v7 or -Dscanenhancer.model-dir)")
            .integer("steps", null, "sampler steps (default: the model's)")
            .option("seed", Args.Kind.LONG, null, "sampler seed (default: the model's)")
            .text("uid-root", null, "UID root of the derived objects")
            .integer("series-number-offset", DerivedImageWriter.Options.defaults().seriesNumberOffset(), "added to the source's series number")
            .integer("uncertainty", null, "N posterior samples (2 to 64): the derived object holds their mean, a second "
                    + "object (series number + 2000) their per-pixel standard deviation")
            .text("degradation", null, "how the input was made: area (resampled after reconstruction; bicubic) or kspace "
                    + "(a low-matrix MR acquisition; zero-filled interpolation). The model runs only for those it was "
                    + "trained for (v2: area; v3: both). Default: kspace for MR files, area for any other modality");

    /** Parsed command line. */
    record Options(Path in, Path out, String enhancer, Path model, Integer steps, Long seed, String uidRoot, int seriesNumberOffset,
                   Integer uncertainty, Degradation degradation) {
        /** What the options ask of the enhancer; the service's requests carry the same record. */
        EnhanceSettings settings() {
            return new EnhanceSettings(null, steps, null, seed, null, uncertainty, degradation);
        }

        static Options parse(String[] argv) {
            return of(OPTIONS.parse(argv));
        }

        static Options of(Args args) {
            String enhancer = args.get("enhancer");
            if (!enhancer.equals(Enhancers.DIFFUSION) && !enhancer.equals(Enhancers.BICUBIC)) {
                throw new Args.UsageException("--enhancer must be diffusion or bicubic, not " + enhancer);
            }
            Integer steps = args.given("steps") ? positive(args, "steps") : null;
            Integer uncertainty = args.given("uncertainty") ? positive(args, "uncertainty") : null;
            if (uncertainty != null && (uncertainty < 2 || uncertainty > 64)) {
                throw new Args.UsageException("--uncertainty needs 2 to 64 posterior samples, not " + uncertainty);
            }
            return new Options(Path.of(args.positional().get(0)), Path.of(args.positional().get(1)), enhancer, args.path("model"),
                    steps, args.given("seed") ? args.getLong("seed") : null, args.get("uid-root"),
                    positive(args, "series-number-offset"), uncertainty, degradation(args));
        }

        private static Degradation degradation(Args args) {
            if (args.get("degradation") == null) {
                return null;
            }
            try {
                return Degradation.of(args.get("degradation"));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException("--degradation: " + e.getMessage());
            }
        }

        private static int positive(Args args, String name) {
            int n = args.getInt(name);
            if (n <= 0) {
                throw new Args.UsageException("--" + name + " must be a positive integer, not " + n);
            }
            return n;
        }
    }
}
