package io.scanenhancer.training;

import io.scanenhancer.diffusion.Formulation;
import io.scanenhancer.diffusion.ModelConfig;
import io.scanenhancer.diffusion.PretrainedModel;
import io.scanenhancer.diffusion.WeightInterpolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A model folder whose two networks (diffusion and regression prior) are {@link WeightInterpolation}s of two model
 * folders': typically a warm restart ({@code train --init-from}) and the folder it started from. The result keeps the
 * fine-tuned folder's config (its training record, sampler, guard, spread calibration) with the new checksums, and
 * records both sources and alpha, so the weights can be made again from the two folders.
 */
public final class MemberInterpolation {
    private MemberInterpolation() {
    }

    /** Writes {@code out}; alpha 0 gives {@code from}'s networks, 1 gives {@code to}'s. Returns the written config. */
    public static ModelConfig write(Path from, Path to, double alpha, String version, Path out) throws IOException {
        ModelConfig a = WarmStart.of(from).config();
        ModelConfig b = WarmStart.of(to).config();
        requireSameNetworks(a, b);
        if (Files.exists(out.resolve("config.json"))) {
            throw new IllegalArgumentException("--out " + out + " already holds a model (config.json): choose a new folder");
        }
        Files.createDirectories(out);
        int imageChannels = Formulation.of(b).imageChannels();
        WeightInterpolation.interpolate(b.channels(), imageChannels, from.resolve(a.weightsFile()), to.resolve(b.weightsFile()),
                alpha, out.resolve(b.weightsFile()));
        WeightInterpolation.interpolate(b.channels(), imageChannels, from.resolve(a.priorWeightsFile()), to.resolve(b.priorWeightsFile()),
                alpha, out.resolve(b.priorWeightsFile()));
        Map<String, Object> details = new LinkedHashMap<>(b.training().details());
        details.put("interpolation", record(from, a, to, b, alpha));
        ModelConfig config = new ModelConfig(b.id(), version == null ? b.version() : version, b.scale(), b.channels(), b.prediction(),
                b.schedule(), b.trainTimesteps(), b.residualScale(), b.normalisation(), b.sampling(), b.guard(),
                new ModelConfig.Training(details), b.weightsFile(), PretrainedModel.sha256(out.resolve(b.weightsFile())),
                b.priorWeightsFile(), PretrainedModel.sha256(out.resolve(b.priorWeightsFile())), b.formulation(), b.degradations(),
                b.spreadCalibration());
        config.write(out.resolve("config.json"));
        return config;
    }

    /** Two folders whose networks can be mixed: the same architecture, and outputs in the same units for the same task. */
    static void requireSameNetworks(ModelConfig a, ModelConfig b) {
        check(Arrays.equals(a.channels(), b.channels()), "widths", Arrays.toString(a.channels()), Arrays.toString(b.channels()));
        check(Formulation.of(a).equals(Formulation.of(b)), "formulation", Formulation.of(a), Formulation.of(b));
        check(a.residualScale() == b.residualScale(), "residual scale", a.residualScale(), b.residualScale());
        check(a.scale() == b.scale(), "scale", a.scale(), b.scale());
        check(Objects.equals(a.prediction(), b.prediction()) && Objects.equals(a.schedule(), b.schedule())
                && a.trainTimesteps() == b.trainTimesteps(), "diffusion parameterisation",
                a.prediction() + "/" + a.schedule() + "/" + a.trainTimesteps(), b.prediction() + "/" + b.schedule() + "/" + b.trainTimesteps());
        check(Objects.equals(a.normalisation(), b.normalisation()), "normalisation", a.normalisation(), b.normalisation());
        check(a.trainedDegradations().equals(b.trainedDegradations()), "trained degradations", a.trainedDegradations(), b.trainedDegradations());
    }

    private static void check(boolean same, String what, Object a, Object b) {
        if (!same) {
            throw new IllegalArgumentException("the two folders' networks differ in " + what + " (" + a + " vs " + b
                    + "): interpolating their weights would mean nothing");
        }
    }

    private static Map<String, Object> record(Path from, ModelConfig a, Path to, ModelConfig b, double alpha) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("rule", "theta = (1 - alpha) theta_from + alpha theta_to, every parameter of both networks (WiSE-FT, Wortsman et al. 2022)");
        r.put("alpha", alpha);
        r.put("from", from + " (" + a.id() + " v" + a.version() + ", diffusion weights sha256 " + a.weightsSha256()
                + ", regression weights sha256 " + a.priorWeightsSha256() + ")");
        r.put("to", to + " (" + b.id() + " v" + b.version() + ", diffusion weights sha256 " + b.weightsSha256()
                + ", regression weights sha256 " + b.priorWeightsSha256() + ")");
        return r;
    }
}
