package io.scanenhancer.evaluation;

import io.scanenhancer.dicom.RefusedInputException;
import io.scanenhancer.dicom.SourceImage;
import io.scanenhancer.enhance.BoxDegradation;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.volume.HeldOutSlab;
import io.scanenhancer.volume.NiftiVolume;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The two evaluation sets. In every case the image is the truth and its 2x2 box average the input.
 * <ul>
 *   <li>held-out slab: axial slices of ch2.nii.gz inside {@link HeldOutSlab#CH2}, never trained on; data range 255
 *       (the volume's 8-bit range); brain mask from ch2bet.nii.gz (the same subject, brain-extracted)</li>
 *   <li>out of domain: the DICOM test files that Debian's pydicom and nibabel packages ship, sorted by what their
 *       pixels hold (see {@link OutOfDomain}); the real acquisitions among them (CT and MR of other scanners and
 *       contrasts) are the validation set; data range = the image's max - min</li>
 * </ul>
 */
public final class EvaluationSets {
    public static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
    public static final Path CH2_BRAIN = Path.of("/usr/share/mricron/templates/ch2bet.nii.gz");
    public static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    public static final Path NIBABEL = Path.of("/usr/lib/python3/dist-packages/nibabel/nicom/tests/data");

    /** Out-of-domain files and, for multi-frame objects, the frame used (the middle one). */
    public static final List<String> OUT_OF_DOMAIN = List.of(
            "pydicom:CT_small.dcm", "pydicom:MR_small.dcm",
            "nibabel:0.dcm", "nibabel:1.dcm", "nibabel:csa_slice_norm.dcm", "nibabel:decimal_rescale.dcm",
            "nibabel:philips_mprage.dcm.gz", "nibabel:siemens_dwi_0.dcm.gz", "nibabel:siemens_dwi_1000.dcm.gz");

    /**
     * The out-of-domain files, sorted: real acquisitions (the validation set), synthetic test patterns (reported for
     * robustness, never used for a choice), and the files left out with the reason (refused by the DICOM reader,
     * blank, or a copy of an earlier image's pixels): reported, not silently dropped.
     */
    public record OutOfDomain(List<EvaluationCase> acquisitions, List<EvaluationCase> syntheticPatterns, List<String> leftOut) {
    }

    private EvaluationSets() {
    }

    /** Every {@code stride}-th slice of the held-out slab. */
    public static List<EvaluationCase> heldOutSlab(int stride) throws IOException {
        NiftiVolume v = NiftiVolume.read(CH2);
        NiftiVolume brain = Files.exists(CH2_BRAIN) ? NiftiVolume.read(CH2_BRAIN) : null;
        List<EvaluationCase> cases = new ArrayList<>();
        for (int k = HeldOutSlab.CH2.firstSlice() + stride / 2; k < HeldOutSlab.CH2.endSlice(); k += stride) {
            FloatImage truth = new FloatImage(v.ny(), v.nx(), v.axial(k)).croppedToEven();
            boolean[] brainMask = null;
            if (brain != null) {
                FloatImage b = new FloatImage(brain.ny(), brain.nx(), brain.axial(k)).croppedToEven();
                brainMask = new boolean[b.pixels().length];
                for (int i = 0; i < brainMask.length; i++) {
                    brainMask[i] = b.pixels()[i] > 0;
                }
            }
            cases.add(new EvaluationCase("ch2 axial " + k, truth, BoxDegradation.downscale(truth, 2),
                    foreground(truth), brainMask, 255));
        }
        return cases;
    }

    /** The real acquisitions of {@link #outOfDomainSet()}: the out-of-domain validation set. */
    public static List<EvaluationCase> outOfDomain() throws IOException {
        return outOfDomainSet().acquisitions();
    }

    public static OutOfDomain outOfDomainSet() throws IOException {
        List<EvaluationCase> cases = new ArrayList<>();
        List<EvaluationCase> synthetic = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        for (String entry : OUT_OF_DOMAIN) {
            String[] parts = entry.split(":");
            Path file = (parts[0].equals("pydicom") ? PYDICOM : NIBABEL).resolve(parts[1]);
            if (!Files.exists(file)) {
                throw new IOException("out-of-domain image " + file + " is missing: install python3-pydicom and python3-nibabel");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file);
                 InputStream data = parts[1].endsWith(".gz") ? new GZIPInputStream(in) : in) {
                bytes = data.readAllBytes();
            }
            SourceImage image;
            try {
                image = SourceImage.read(bytes);
            } catch (RefusedInputException e) {
                // the reader's refusal is the right answer for the service; here the image just leaves the set
                leftOut.add(parts[1] + ": " + e.reason());
                continue;
            }
            FloatImage truth = image.frame(image.frameCount() / 2).croppedToEven();
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (float p : truth.pixels()) {
                min = Math.min(min, p);
                max = Math.max(max, p);
            }
            if (max == min) {
                // nibabel's philips_mprage and siemens_dwi fixtures carry all-zero pixel data: nothing to measure
                leftOut.add(parts[1] + ": blank image (every pixel " + min + ")");
                continue;
            }
            String name = parts[1].replace(".dcm.gz", "").replace(".dcm", "")
                    + " (" + image.modality() + " " + truth.height() + "x" + truth.width()
                    + (image.frameCount() > 1 ? ", frame " + (image.frameCount() / 2 + 1) + "/" + image.frameCount() : "") + ")";
            EvaluationCase copyOf = java.util.stream.Stream.concat(cases.stream(), synthetic.stream())
                    .filter(c -> Arrays.equals(c.truth().pixels(), truth.pixels())).findFirst().orElse(null);
            if (copyOf != null) {
                // nibabel's 1.dcm carries exactly the pixels of 0.dcm: counting it twice would weigh that image double
                leftOut.add(parts[1] + ": same pixel data as " + copyOf.name());
                continue;
            }
            EvaluationCase c = new EvaluationCase(name, truth, BoxDegradation.downscale(truth, 2), foreground(truth), null, max - min);
            (isSyntheticRamp(truth) ? synthetic : cases).add(c);
        }
        return new OutOfDomain(List.copyOf(cases), List.copyOf(synthetic), List.copyOf(leftOut));
    }

    /**
     * True when nine in ten pixels or more lie inside an exact linear intensity ramp along their row (non-zero first
     * difference, zero second difference). Acquisitions carry noise and never do; nibabel's 0.dcm, whose header is a
     * Siemens DTI mosaic, holds the test pattern (256 y + x) mod 4096 instead of an image.
     */
    static boolean isSyntheticRamp(FloatImage image) {
        int w = image.width();
        float[] p = image.pixels();
        long ramp = 0, all = 0;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                float d1 = p[i] - p[i - 1];
                float d2 = p[i + 1] - 2 * p[i] + p[i - 1];
                all++;
                if (d1 != 0 && d2 == 0) {
                    ramp++;
                }
            }
        }
        return all > 0 && ramp >= 0.9 * all;
    }

    /** Pixels above 10% of the way from the 1st to the 99th percentile: the head or body, not the air around it. */
    static boolean[] foreground(FloatImage truth) {
        float[] sorted = truth.pixels().clone();
        Arrays.sort(sorted);
        float lo = sorted[(int) (0.01 * (sorted.length - 1))], hi = sorted[(int) (0.99 * (sorted.length - 1))];
        float threshold = lo + 0.1f * (hi - lo);
        boolean[] mask = new boolean[sorted.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = truth.pixels()[i] > threshold;
        }
        return mask;
    }
}
