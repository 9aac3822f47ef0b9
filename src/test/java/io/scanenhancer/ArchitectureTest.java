package io.scanenhancer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data flow of the service is one-way: (receiver ->) messaging -> job -> (derivation) -> pacs / dicom -> enhance -> diffusion. This reads the
 * service's sources (comments stripped) and checks the package graph: no cycles, no upward import along that flow,
 * diffusion free of DICOM, Kafka and Quarkus, and no harness code reachable from the service.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/io/scanenhancer");
    private static final Pattern PROJECT_REFERENCE = Pattern.compile("\\bio\\.scanenhancer\\.([a-z]+)\\b");
    private static final Pattern ANY_IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+)");

    /** Position along the flow: a package may use packages of a lower rank only. */
    private static final Map<String, Integer> FLOW = Map.of(
            "receiver", 6, "messaging", 5, "job", 4, "derivation", 3, "pacs", 2, "dicom", 2, "enhance", 1, "diffusion", 0);

    @Test
    void packageGraphHasNoCycles() {
        Map<String, Set<String>> graph = graph();
        List<String> cycles = new ArrayList<>();
        for (String from : graph.keySet()) {
            for (String to : graph.get(from)) {
                if (reaches(graph, to, from, new TreeSet<>())) {
                    cycles.add(from + " -> " + to);
                }
            }
        }
        assertEquals(List.of(), cycles, "edges that lie on a cycle; the package graph: " + graph);
    }

    @Test
    void theFlowOnlyPointsDownstream() {
        Map<String, Set<String>> graph = graph();
        List<String> upward = new ArrayList<>();
        FLOW.forEach((from, rank) -> graph.getOrDefault(from, Set.of()).stream()
                .filter(to -> FLOW.containsKey(to) && FLOW.get(to) >= rank && !to.equals(from)
                        && !(rank == 2 && FLOW.get(to) == 2)) // pacs and dicom stand side by side
                .forEach(to -> upward.add(from + " -> " + to)));
        assertEquals(List.of(), upward, "imports against the flow receiver -> messaging -> job -> derivation -> pacs/dicom -> enhance -> diffusion");
    }

    /** The CLI writes through derivation too: it may know the enhancer and DICOM, never a PACS or a job. */
    @Test
    void derivationKnowsOnlyTheEnhancerAndDicom() {
        List<String> beyond = graph().getOrDefault("derivation", Set.of()).stream()
                .filter(to -> !Set.of("dicom", "enhance", "diffusion", "image").contains(to)).toList();
        assertEquals(List.of(), beyond, "derivation imports beyond dicom, enhance, diffusion (its Degradation) and image");
    }

    /** The audit trail is used by messaging, job, pacs, api and receiver, so it must know none of them (nor anything else). */
    @Test
    void auditDependsOnNoProjectPackage() {
        assertTrue(graph().containsKey("audit"), "the audit package is missing");
        assertEquals(Set.of(), graph().get("audit"), "audit imports project packages");
    }

    @Test
    void diffusionIsPureDjl() {
        List<String> found = new ArrayList<>();
        for (Path file : sources(MAIN.resolve("diffusion"))) {
            String code = code(file);
            Matcher m = ANY_IMPORT.matcher(code);
            while (m.find()) {
                String imported = m.group(1);
                if (imported.startsWith("io.scanenhancer.") && !imported.startsWith("io.scanenhancer.diffusion.")
                        || imported.startsWith("com.pixelmed") || imported.startsWith("org.apache.kafka")
                        || imported.startsWith("io.quarkus") || imported.startsWith("jakarta.")) {
                    found.add(file.getFileName() + ": " + imported);
                }
            }
        }
        assertEquals(List.of(), found, "diffusion must know nothing of DICOM, Kafka, Quarkus or the rest of the service");
    }

    @Test
    void theServiceDoesNotReachTheHarness() {
        List<String> found = new ArrayList<>();
        for (Path file : sources(MAIN)) {
            if (code(file).contains("io.scanenhancer.harness")) {
                found.add(MAIN.relativize(file).toString());
            }
        }
        assertEquals(List.of(), found, "harness code (local broker, Orthanc, benches) must not ship in the service");
        assertTrue(Files.isDirectory(Path.of("src/harness/java/io/scanenhancer/harness")), "harness source set missing");
    }

    /** package -> project packages its code names (imports and fully qualified names). */
    private static Map<String, Set<String>> graph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Path file : sources(MAIN)) {
            String pkg = MAIN.relativize(file).getName(0).toString();
            if (pkg.endsWith(".java")) {
                continue;
            }
            Set<String> uses = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
            Matcher m = PROJECT_REFERENCE.matcher(code(file));
            while (m.find()) {
                if (!m.group(1).equals(pkg)) {
                    uses.add(m.group(1));
                }
            }
        }
        return graph;
    }

    private static boolean reaches(Map<String, Set<String>> graph, String from, String target, Set<String> seen) {
        if (from.equals(target)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String next : graph.getOrDefault(from, Set.of())) {
            if (reaches(graph, next, target, seen)) {
                return true;
            }
        }
        return false;
    }

    /** The source without comments and string literals, so prose naming a package is no dependency. */
    private static String code(Path file) {
        try {
            return Files.readString(file)
                    .replaceAll("(?s)/\\*.*?\\*/", " ")
                    .replaceAll("//[^\\n]*", " ")
                    .replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"")
                    .replaceFirst("(?m)^package [\\w.]+;", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> sources(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
