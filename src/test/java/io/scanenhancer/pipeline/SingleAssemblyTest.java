package io.scanenhancer.pipeline;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The demo and the tests run exactly what production runs only while there is one way to build the pipeline: the
 * record loop, its dispatcher and its result transaction are constructed in Pipeline and nowhere else, in the service,
 * the harness or the tests (which pass settings, a listener or stand-in clients to Pipeline instead).
 */
class SingleAssemblyTest {
    private static final List<Path> SOURCES = List.of(Path.of("src/main/java"), Path.of("src/harness/java"),
            Path.of("src/test/java"));

    @ParameterizedTest
    @ValueSource(strings = {"new StudyRequestConsumer(", "new RequestDispatcher(", "new ResultTransaction("})
    void constructedOnlyInThePipeline(String construction) throws IOException {
        List<String> places = new ArrayList<>();
        for (Path root : SOURCES) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String[] lines = Files.readString(f).split("\n");
                    for (int i = 0; i < lines.length; i++) {
                        if (lines[i].contains(construction) && !f.endsWith("SingleAssemblyTest.java")) {
                            places.add(f + ":" + (i + 1));
                        }
                    }
                }
            }
        }
        assertEquals(List.of("src/main/java/io/scanenhancer/pipeline/Pipeline.java"),
                places.stream().map(p -> p.substring(0, p.lastIndexOf(':'))).toList(), "found at " + places);
    }
}
