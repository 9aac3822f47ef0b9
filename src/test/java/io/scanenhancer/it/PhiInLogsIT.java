package io.scanenhancer.it;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No patient data in any log line: the output of every test class that ran before (service, consumer, Quarkus,
 * fault tests and the processes they start), plus a run of the {@code enhance} command as its own process over the
 * samples, the fixtures and hostile copies that put patient values into attributes a refusal reason might quote.
 * Runs under failsafe in its own execution, after the unit, end-to-end and process tests have written their logs.
 */
class PhiInLogsIT {
    private static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    private static final Path SAMPLES = Path.of("samples", "mr-t1-colin27");
    private static final Path REPORTS = Path.of("target", "surefire-reports");
    static final Path SUBPROCESS_LOGS = Path.of("target", "test-logs");
    private static final Path ENHANCE_LOG = SUBPROCESS_LOGS.resolve("enhance-command.log");

    @TempDir
    Path temp;

    @Test
    void noPhiInTheLogsOfTheEndToEndTests() throws Exception {
        Set<Pattern> phi = phiPatterns(sources());
        List<Path> logs = new ArrayList<>();
        for (Path reports : List.of(REPORTS, Path.of("target", "failsafe-reports"))) {
            if (Files.isDirectory(reports)) {
                try (Stream<Path> s = Files.list(reports)) {
                    s.filter(p -> p.getFileName().toString().endsWith("-output.txt")).forEach(logs::add);
                }
            }
        }
        if (Files.isDirectory(SUBPROCESS_LOGS)) {
            try (Stream<Path> s = Files.walk(SUBPROCESS_LOGS)) {
                // the enhance run below checks its own output; an older copy of it says nothing about this build
                s.filter(Files::isRegularFile).filter(p -> !p.equals(ENHANCE_LOG)).forEach(logs::add);
            }
        }
        StringBuilder all = new StringBuilder();
        for (Path log : logs) {
            all.append(Files.readString(log, StandardCharsets.ISO_8859_1)).append('\n');
        }
        String text = all.toString();
        // not vacuous: the logs of the end-to-end tests are really there (consumer, refusals, Quarkus service)
        assertTrue(text.contains(" done: [2.25."), "no consumer 'request ... done' line in " + logs.size()
                + " log files: run the end-to-end tests first (./enhancer test runs them before this)");
        assertTrue(text.contains("rejected (refused-input)"), "a refusal was logged");
        assertTrue(text.contains("scan-enhancer") && text.contains("started in"), "the Quarkus service's log is included");
        assertEquals(List.of(), hits(phi, text), "patient data in " + logs.size() + " log files");
    }

    @Test
    void noPhiInTheEnhanceCommandOutputEvenForHostileInputs() throws Exception {
        Path in = Files.createDirectories(temp.resolve("in"));
        List<Path> sources = sources();
        for (Path source : sources) {
            Files.copy(source, in.resolve(source.getParent().getFileName() + "-" + source.getFileName()));
        }
        AttributeList mr = read(PYDICOM.resolve("MR_small.dcm"));
        String name = Attribute.getSingleStringValueOrEmptyString(mr, TagFromName.PatientName);
        String id = Attribute.getSingleStringValueOrEmptyString(mr, TagFromName.PatientID);
        hostile(in.resolve("frames.dcm"), new IntegerStringAttribute(TagFromName.NumberOfFrames), name);
        hostile(in.resolve("photometric.dcm"), new CodeStringAttribute(TagFromName.PhotometricInterpretation), id);
        hostile(in.resolve("sopclass.dcm"), new UniqueIdentifierAttribute(TagFromName.SOPClassUID), name);

        Files.createDirectories(SUBPROCESS_LOGS);
        Path log = ENHANCE_LOG;
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "io.scanenhancer.cli.Main",
                "enhance", in.toString(), temp.resolve("out").toString(), "--enhancer", "bicubic")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "enhance finished");
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("refused in-frames.dcm") || output.contains("refused frames.dcm"), output);
        assertTrue(output.contains("refused photometric.dcm"), output);
        assertTrue(output.contains("refused sopclass.dcm"), output);
        assertTrue(output.contains("enhanced "), output);
        assertEquals(List.of(), hits(phiPatterns(sources), output), output);
    }

    /** Every DICOM file whose patient values the tests put into the PACS or through the CLI. */
    private List<Path> sources() throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(SAMPLES)) {
            s.filter(p -> p.toString().endsWith(".dcm")).sorted().forEach(files::add);
        }
        files.add(PYDICOM.resolve("MR_small.dcm"));
        files.add(PYDICOM.resolve("CT_small.dcm"));
        files.addAll(SeriesFixture.write(Files.createTempDirectory(temp, "fixture"), 1).files());
        return files;
    }

    /** Names whole and by component, IDs as tokens, birth dates as YYYYMMDD or YYYY-MM-DD between non-digits. */
    static Set<Pattern> phiPatterns(List<Path> files) throws Exception {
        Set<Pattern> patterns = new LinkedHashSet<>();
        for (Path f : files) {
            AttributeList l = read(f);
            String name = Attribute.getSingleStringValueOrEmptyString(l, TagFromName.PatientName).strip();
            if (!name.isEmpty()) {
                patterns.add(Pattern.compile(Pattern.quote(name)));
                patterns.add(Pattern.compile(Pattern.quote(name.replace('^', ' ').strip())));
                for (String part : name.split("\\^")) {
                    if (part.strip().length() >= 4) {
                        patterns.add(Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(part.strip()) + "(?![A-Za-z0-9])"));
                    }
                }
            }
            String id = Attribute.getSingleStringValueOrEmptyString(l, TagFromName.PatientID).strip();
            if (id.length() >= 3) {
                patterns.add(Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(id) + "(?![A-Za-z0-9])"));
            }
            String birth = Attribute.getSingleStringValueOrEmptyString(l, TagFromName.PatientBirthDate).strip();
            if (birth.length() == 8) {
                patterns.add(Pattern.compile("(?<![0-9])(" + birth + "|" + birth.substring(0, 4) + "-" + birth.substring(4, 6)
                        + "-" + birth.substring(6) + ")(?![0-9])"));
            }
        }
        assertTrue(patterns.size() >= 6, "patient values found in the samples and fixtures: " + patterns);
        assertTrue(patterns.stream().anyMatch(p -> p.pattern().contains(SeriesFixture.PLANTED_BIRTH_DATE)), "a birth date");
        return patterns;
    }

    static List<String> hits(Set<Pattern> phi, String text) {
        Map<String, String> found = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            for (Pattern p : phi) {
                if (p.matcher(line).find()) {
                    found.putIfAbsent(p.pattern(), line.length() > 300 ? line.substring(0, 300) : line);
                }
            }
        }
        return found.entrySet().stream().map(e -> e.getKey() + " in: " + e.getValue()).toList();
    }

    private static AttributeList read(Path f) throws Exception {
        AttributeList l = new AttributeList();
        l.read(f.toString());
        return l;
    }

    private static void hostile(Path out, Attribute attribute, String value) throws Exception {
        AttributeList l = read(PYDICOM.resolve("MR_small.dcm"));
        l.remove(TagFromName.FileMetaInformationGroupLength);
        attribute.addValue(value);
        l.put(attribute);
        if (attribute.getTag().equals(TagFromName.SOPClassUID)) {
            AttributeTag media = TagFromName.MediaStorageSOPClassUID;
            l.remove(media);
        }
        com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "PHITEST");
        l.write(out.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }
}
