package io.scanenhancer.job;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.dicom.SourceImage;
import io.scanenhancer.enhance.Bicubic;
import io.scanenhancer.enhance.BicubicEnhancer;
import io.scanenhancer.diffusion.Degradation;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.enhance.KspaceDegradation;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.it.SeriesFixture;
import io.scanenhancer.pacs.InMemoryPacs;
import io.scanenhancer.pacs.PacsRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request's degradation through the job (in-memory PACS): a kspace input gets zero-filled interpolation, from the
 * bicubic enhancer and from model v2 (trained for area only, so it must not run), and the derived objects
 * and the outcome say so; uncertainty on kspace is refused before any work; an MR study that does not say is kspace,
 * bit for bit, and an explicit area is honoured.
 */
class DegradationJobTest {
    private static Enhancer diffusion;

    @TempDir
    Path temp;
    private final InMemoryPacs source = new InMemoryPacs("source");
    private final InMemoryPacs target = new InMemoryPacs("target");
    private SeriesFixture series;

    @BeforeAll
    static void openModel() {
        diffusion = Enhancers.open(Enhancers.DIFFUSION, Path.of("models/sr3-mri-t1-v2"));
    }

    @AfterAll
    static void closeModel() {
        diffusion.close();
    }

    @BeforeEach
    void load() throws Exception {
        series = SeriesFixture.write(temp.resolve("a"), 2);
        for (Path f : series.files()) {
            source.put(Files.readAllBytes(f));
        }
    }

    private StudyOutcome run(Enhancer enhancer, EnhanceSettings settings) throws Exception {
        return run(enhancer, settings, target);
    }

    private StudyOutcome run(Enhancer enhancer, EnhanceSettings settings, InMemoryPacs into) throws Exception {
        EnhanceStudyJob job = new EnhanceStudyJob(new PacsRegistry(Map.of("source", source, "target", into)), enhancer, null, 2);
        return job.run(new EnhanceStudyCommand("r1", series.studyInstanceUid(), List.of(), "source", "target", 2, settings));
    }

    private static EnhanceSettings kspace() {
        return EnhanceSettings.defaults().withDegradation(Degradation.KSPACE);
    }

    /** The derived objects of the outcome's one series, as stored (every slice of the fixture is MR_small's pixels). */
    private List<byte[]> derived(StudyOutcome outcome, InMemoryPacs from) throws Exception {
        Path folder = Files.createTempDirectory(temp, "derived");
        List<byte[]> out = new java.util.ArrayList<>();
        for (Path f : from.retrieveTo(series.studyInstanceUid(), outcome.series().get(0).derivedSeriesInstanceUid(), folder)) {
            out.add(Files.readAllBytes(f));
        }
        assertEquals(outcome.series().get(0).derivedInstances(), out.size());
        return out;
    }

    private List<byte[]> derived(StudyOutcome outcome) throws Exception {
        return derived(outcome, target);
    }

    private static AttributeList attributes(byte[] part10) throws Exception {
        AttributeList list = new AttributeList();
        list.read(new DicomInputStream(new ByteArrayInputStream(part10)));
        return list;
    }

    /** Largest difference between what was stored and zero-filling (and bicubic) of the source slice. */
    private double[] distances(byte[] derived) throws Exception {
        FloatImage stored = SourceImage.read(derived).frame(0);
        FloatImage input = SourceImage.read(Files.readAllBytes(series.files().get(0))).frame(0);
        return new double[] {maxDifference(stored, KspaceDegradation.zeroFill(input, 2)), maxDifference(stored, Bicubic.upscale(input, 2))};
    }

    private static double maxDifference(FloatImage a, FloatImage b) {
        assertEquals(a.height() * a.width(), b.pixels().length);
        double max = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            max = Math.max(max, Math.abs(a.pixels()[i] - b.pixels()[i]));
        }
        return max;
    }

    @Test
    void theBicubicEnhancerAnswersKspaceWithZeroFilling() throws Exception {
        StudyOutcome area = run(new BicubicEnhancer(2), EnhanceSettings.defaults().withDegradation(Degradation.AREA));
        StudyOutcome outcome = run(new BicubicEnhancer(2), kspace());
        assertEquals("zero-fill", outcome.method());
        assertEquals("kspace", outcome.series().get(0).degradation());
        assertEquals("area", area.series().get(0).degradation());
        assertNotEquals(area.series().get(0).derivedSeriesInstanceUid(), outcome.series().get(0).derivedSeriesInstanceUid(),
                "kspace enters the UIDs: its pixels differ");
        byte[] first = derived(outcome).get(0);
        double[] d = distances(first);
        assertTrue(d[0] <= 1, "stored vs zero-fill, at most the integer rounding: " + d[0]);
        assertTrue(d[1] > 10, "not bicubic: " + d[1]);
        String description = Attribute.getSingleStringValueOrEmptyString(attributes(first), TagFromName.DerivationDescription);
        assertTrue(description.contains("(zero-fill)") && description.contains("degradation=kspace"), description);
    }

    @Test
    void modelV2DoesNotRunOnKspaceAndItsZeroFilledFallBackIsMarked() throws Exception {
        StudyOutcome outcome = run(diffusion, kspace());
        assertTrue(outcome.method().startsWith("zero-fill (sr3-mri-t1 2 was not trained for kspace inputs)"), outcome.method());
        assertFalse(outcome.outOfDistribution(), "not the guard's verdict: the model was never asked");
        assertEquals("kspace", outcome.series().get(0).degradation());
        byte[] first = derived(outcome).get(0);
        assertTrue(distances(first)[0] <= 1, "stored vs zero-fill: " + distances(first)[0]);
        AttributeList list = attributes(first);
        String comments = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.ImageComments);
        assertTrue(comments.contains("1 of 1 frames were interpolated (zero-fill) instead of the model's output: "
                + "the model does not run on kspace inputs."), comments);
        String description = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.DerivationDescription);
        assertTrue(description.contains("degradation=kspace"), description);
        assertTrue(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesDescription).endsWith("AI 2x zero-fill NOT FOR DIAGNOSTIC USE"),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesDescription));
    }

    @Test
    void uncertaintyOnKspaceIsRefusedBeforeAnyWorkWhenTheModelCannotDoKspace() {
        EnhanceSettings asked = new EnhanceSettings(null, null, null, null, null, 4, Degradation.KSPACE);
        RejectedRequestException e = assertThrows(RejectedRequestException.class, () -> run(diffusion, asked));
        assertEquals(ErrorCode.UNCERTAINTY_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("needs a model trained for kspace inputs"), e.getMessage());
        assertEquals(0, source.calls("retrieveTo"));
        assertEquals(0, target.calls("store"));
    }

    @Test
    void anMrStudyThatDoesNotSayIsTreatedAsKspaceBitForBit() throws Exception {
        StudyOutcome absent = run(new BicubicEnhancer(2), EnhanceSettings.defaults());
        InMemoryPacs other = new InMemoryPacs("other");
        StudyOutcome kspace = run(new BicubicEnhancer(2), kspace(), other);
        assertEquals("kspace", absent.series().get(0).degradation(), "the fixture is MR: a low-matrix MR image is a truncated k-space");
        assertEquals(kspace.series().get(0).derivedSeriesInstanceUid(), absent.series().get(0).derivedSeriesInstanceUid());
        assertEquals("zero-fill", absent.method());
        List<byte[]> before = derived(absent), after = derived(kspace, other);
        for (int i = 0; i < before.size(); i++) {
            assertTrue(java.util.Arrays.equals(before.get(i), after.get(i)), "object " + i + " differs");
        }
    }

    @Test
    void anExplicitAreaOnMrIsHonouredAndKeepsTheUidsOfBeforeTheField() throws Exception {
        StudyOutcome area = run(new BicubicEnhancer(2), EnhanceSettings.defaults().withDegradation(Degradation.AREA));
        assertEquals("bicubic", area.method());
        assertEquals("area", area.series().get(0).degradation());
        byte[] first = derived(area).get(0);
        String description = Attribute.getSingleStringValueOrEmptyString(attributes(first), TagFromName.DerivationDescription);
        assertFalse(description.contains("degradation="), "area is left out of the parameters, as before the field: " + description);
        assertTrue(distances(first)[1] <= 1, "stored vs bicubic: " + distances(first)[1]);
    }
}
