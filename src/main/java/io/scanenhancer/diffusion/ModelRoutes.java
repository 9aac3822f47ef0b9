package io.scanenhancer.diffusion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which network pair answers which input degradation. A model folder is either <em>plain</em> ({@code config.json}:
 * one diffusion network and prior for every degradation its config lists) or <em>routed</em> ({@code routes.json}:
 * one member folder, itself plain, per degradation id). Routing exists because one network trained for both box and
 * k-space inputs measured about 2 dB worse on box inputs than a network trained for box inputs alone (issue 20's
 * ablation), while the k-space gain needs the mixed training: each degradation gets the network measured best for it.
 *
 * @param id      the model's identifier for every degradation (members keep their own ids in their configs)
 * @param version enters the derived objects' identity with the members' weights (see {@link #weightsDigest})
 * @param routes  degradation id to member folder, relative to the routed folder (e.g. {@code "area"}: a subfolder)
 */
public record ModelRoutes(String id, String version, Map<String, String> routes) {
    public static final String FILE = "routes.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Whether {@code dir} is a routed folder. */
    public static boolean isRouted(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    public static ModelRoutes read(Path dir) throws IOException {
        ModelRoutes r = JSON.readValue(dir.resolve(FILE).toFile(), ModelRoutes.class);
        if (r.id() == null || r.version() == null || r.routes() == null || r.routes().isEmpty()) {
            throw new IOException(dir.resolve(FILE) + " needs id, version and at least one route");
        }
        for (String degradation : r.routes().keySet()) {
            Degradation.of(degradation); // refuses an unknown id with the list of known ones
        }
        return r;
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(FILE).toFile(), this);
    }

    /**
     * The member folder that answers each degradation: for a routed folder its routes (each member must list that
     * degradation among its trained ones), for a plain folder the folder itself for every degradation it was trained
     * for. Iteration order: the routes' order, or the config's.
     */
    public static Map<String, Path> membersOf(Path dir) throws IOException {
        Map<String, Path> members = new LinkedHashMap<>();
        if (!isRouted(dir)) {
            Path config = dir.resolve("config.json");
            if (!Files.isRegularFile(config)) {
                throw new IOException("no model at " + dir.toAbsolutePath() + ": neither config.json nor " + FILE);
            }
            for (String d : ModelConfig.read(config).trainedDegradations()) {
                members.put(d, dir);
            }
            return members;
        }
        return read(dir).members(dir);
    }

    /** The member folder of each route of this routed folder {@code dir}, checked as {@link #membersOf} says. */
    public Map<String, Path> members(Path dir) throws IOException {
        Map<String, Path> members = new LinkedHashMap<>();
        for (Map.Entry<String, String> route : routes.entrySet()) {
            Path member = dir.resolve(route.getValue()).normalize();
            if (isRouted(member)) {
                throw new IOException("route " + route.getKey() + " of " + dir + " leads to another routed folder " + member);
            }
            ModelConfig config = ModelConfig.read(member.resolve("config.json"));
            if (!config.trainedDegradations().contains(route.getKey())) {
                throw new IOException("route " + route.getKey() + " of " + dir + " leads to " + member + ", which was trained for "
                        + config.trainedDegradations() + " only");
            }
            members.put(route.getKey(), member);
        }
        return members;
    }

    /**
     * The plain folder whose networks answer {@code degradation} in {@code dir} (dir itself when plain): for code that
     * drives one network pair directly (the synthesis cascade, the method comparison, benches).
     */
    public static Path memberFor(Path dir, String degradation) throws IOException {
        Path member = membersOf(dir).get(degradation);
        if (member == null) {
            throw new IOException("the model at " + dir + " has no network for " + degradation + " inputs");
        }
        return member;
    }

    /**
     * SHA-256 over the routes' degradation ids and their members' recorded weight checksums (diffusion, then prior), in
     * route order: changes whenever any weights or any route changes, so that it can stand where a plain model's
     * weights checksum stands in the derived identity.
     */
    public static String weightsDigest(Map<String, ModelConfig> memberConfigs) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, ModelConfig> e : memberConfigs.entrySet()) {
                String line = e.getKey() + ":" + e.getValue().weightsSha256() + ":" + e.getValue().priorWeightsSha256() + "\n";
                md.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
