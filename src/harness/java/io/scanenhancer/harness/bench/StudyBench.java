package io.scanenhancer.harness.bench;

import io.scanenhancer.training.SuperResolutionTraining;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import io.scanenhancer.harness.LocalOrthanc;
import io.scanenhancer.dicom.SourceImage;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.job.EnhanceStudyCommand;
import io.scanenhancer.job.EnhanceStudyJob;
import io.scanenhancer.job.StudyOutcome;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsRegistry;
import io.scanenhancer.pacs.PacsRetryPolicy;
import io.scanenhancer.pacs.PacsSettings;
import io.scanenhancer.pacs.RetryingPacs;
import io.scanenhancer.volume.NiftiVolume;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/**
 * End-to-end study time (retrieve from a real Orthanc over DICOMweb, decode, batched enhancement, DICOM encode,
 * spool, STOW-RS store) against the time the enhancer alone takes for the same frames in the same batches: timed
 * inside the job around each enhancer call (same calls, same run: the overhead figure), and in a separate pass
 * (which on a shared machine varies as much as the overhead itself). Bicubic runs through the same job in the same
 * run, so its end-to-end time is the pipeline's fixed cost.
 */
final class StudyBench {
    private static final String PACS = "orthanc";

    record Case(String name, String studyUid, String seriesUid, int slices, int rows, int columns) {
    }

    private StudyBench() {
    }

    /** @param repeats every figure is the best of this many runs (the first also warms up every batch shape) */
    static void run(Enhancer model, Enhancer bicubic, int batch, Path samples, int generatedSlices, int generatedSize,
                    int repeats) throws Exception {
        ExecutorService calls = RetryingPacs.callThreads();
        try (LocalOrthanc orthanc = LocalOrthanc.start()) {
            // the service's PACS retry policy: after minutes of enhancement a pooled HTTP connection may be one Orthanc
            // has closed, and the store's second try covers that
            PacsRegistry registry = PacsRegistry.of(List.of(new PacsSettings.DicomWeb(PACS,
                    URI.create(orthanc.dicomWebUrl()), orthanc.user(), orthanc.password(), null, Duration.ofSeconds(300))))
                    .decorated(p -> new RetryingPacs(p, PacsRetryPolicy.defaults(), calls));
            List<Case> cases = List.of(upload(orthanc, "sample series", sampleFiles(samples)),
                    upload(orthanc, "generated series", generated(samples, generatedSlices, generatedSize)));
            Pacs pacs = registry.get(PACS);
            System.out.printf("%nEnd-to-end study time vs model time, batch %d, best of %d (Orthanc over DICOMweb on this machine)%n%n",
                    batch, repeats);
            System.out.println("| series | slices | enhancer | model only (s) | end to end (s) | retrieve / enhance / store (s) | "
                    + "model inside the job (s) | overhead: end to end / model inside the job | end to end / model only |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            for (Case c : cases) {
                List<FloatImage> frames = new ArrayList<>();
                for (byte[] b : pacs.retrieve(c.studyUid(), c.seriesUid())) {
                    SourceImage s = SourceImage.read(b);
                    for (int f = 0; f < s.frameCount(); f++) {
                        frames.add(s.frame(f));
                    }
                }
                for (Enhancer e : List.of(model, bicubic)) {
                    double pure = Double.MAX_VALUE;
                    StudyOutcome o = null;
                    for (int r = 0; r < repeats; r++) {
                        pure = Math.min(pure, modelOnly(e, frames, batch));
                        StudyOutcome run = new EnhanceStudyJob(registry, e, null, batch).run(new EnhanceStudyCommand(
                                "bench-" + UUID.randomUUID(), c.studyUid(), List.of(c.seriesUid()), PACS, PACS, 2,
                                EnhanceSettings.defaults(), batch));
                        o = o == null || run.timings().totalMs() < o.timings().totalMs() ? run : o;
                    }
                    var t = o.timings();
                    boolean baseline = e == bicubic;
                    System.out.printf("| %s %dx%d | %d | %s | %.2f | %.2f | %.2f / %.2f / %.2f | %.2f | %s | %s |%n", c.name(),
                            c.rows(), c.columns(), c.slices(), e.modelId(), pure, t.totalMs() / 1e3, t.retrieveMs() / 1e3,
                            t.enhanceMs() / 1e3, t.storeMs() / 1e3, t.modelMs() / 1e3,
                            baseline ? "(fixed cost)" : String.format("**%.3f**", (double) t.totalMs() / Math.max(1, t.modelMs())),
                            baseline ? "" : String.format("%.3f", t.totalMs() / 1e3 / pure));
                }
            }
        } finally {
            calls.shutdownNow();
        }
    }

    private static double modelOnly(Enhancer e, List<FloatImage> frames, int batch) {
        long t = System.nanoTime();
        for (int from = 0; from < frames.size(); from += batch) {
            e.enhanceAll(frames.subList(from, Math.min(frames.size(), from + batch)), EnhanceSettings.defaults());
        }
        return (System.nanoTime() - t) / 1e9;
    }

    static List<byte[]> sampleFiles(Path samples) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(samples)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList()) {
                out.add(Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static Case upload(LocalOrthanc orthanc, String name, List<byte[]> objects) throws Exception {
        for (byte[] b : objects) {
            var r = orthanc.post("/instances", b);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("Orthanc refused a bench object: " + r.body());
            }
        }
        SourceImage first = SourceImage.read(objects.get(0));
        return new Case(name, first.studyInstanceUid(), first.seriesInstanceUid(), objects.size(), first.rows(),
                first.columns());
    }

    /**
     * {@code slices} consecutive axial slices of the Colin 27 volume centred in size x size frames, as a new study
     * built on the first sample object (so every other attribute is a valid MR image's).
     */
    static List<byte[]> generated(Path samples, int slices, int size) throws Exception {
        NiftiVolume v = NiftiVolume.read(Path.of(SuperResolutionTraining.DEFAULT_DATA));
        byte[] template = sampleFiles(samples).get(0);
        String study = newUid();
        String series = newUid();
        int first = Math.max(0, v.nz() / 2 - slices / 2);
        List<byte[]> out = new ArrayList<>();
        for (int n = 0; n < slices; n++) {
            out.add(slice(v, template, study, series, first + n, n, size));
        }
        return out;
    }

    /** Axial slice {@code k} of {@code v} as instance {@code n + 1} of the given series, built on {@code template}. */
    static byte[] slice(NiftiVolume v, byte[] template, String study, String series, int k, int n, int size) throws Exception {
        AttributeList a = new AttributeList();
        a.read(new com.pixelmed.dicom.DicomInputStream(new ByteArrayInputStream(template)));
        a.remove(TagFromName.FileMetaInformationGroupLength);
        set(a, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), study);
        set(a, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), series);
        set(a, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), newUid());
        set(a, new IntegerStringAttribute(TagFromName.InstanceNumber), Integer.toString(n + 1));
        set(a, new UnsignedShortAttribute(TagFromName.Rows), Integer.toString(size));
        set(a, new UnsignedShortAttribute(TagFromName.Columns), Integer.toString(size));
        double[] position = Attribute.getDoubleValues(a, TagFromName.ImagePositionPatient);
        DecimalStringAttribute pos = new DecimalStringAttribute(TagFromName.ImagePositionPatient);
        pos.addValue(position[0]);
        pos.addValue(position[1]);
        pos.addValue(position[2] + n);
        a.put(pos);
        a.remove(TagFromName.SliceLocation);
        OtherWordAttribute px = new OtherWordAttribute(TagFromName.PixelData);
        px.setValues(padded(v, k, size));
        a.put(px);
        FileMetaInformation.addFileMetaInformation(a, TransferSyntax.ExplicitVRLittleEndian, "SCANENHANCER");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.write(bytes, TransferSyntax.ExplicitVRLittleEndian, true, true);
        return bytes.toByteArray();
    }

    private static short[] padded(NiftiVolume v, int k, int size) {
        float[] axial = v.axial(Math.min(k, v.nz() - 1));
        short[] out = new short[size * size];
        int oy = (size - v.ny()) / 2, ox = (size - v.nx()) / 2;
        for (int y = 0; y < v.ny(); y++) {
            for (int x = 0; x < v.nx(); x++) {
                int ty = y + oy, tx = x + ox;
                if (ty >= 0 && ty < size && tx >= 0 && tx < size) {
                    out[ty * size + tx] = (short) Math.max(0, Math.min(4095, Math.round(axial[y * v.nx() + x])));
                }
            }
        }
        return out;
    }

    static String newUid() {
        UUID u = UUID.randomUUID();
        return "2.25." + new BigInteger(1, java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
    }

    private static void set(AttributeList list, Attribute a, String value) throws Exception {
        a.addValue(value);
        list.put(a);
    }
}
