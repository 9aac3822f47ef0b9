package io.scanenhancer.evaluation;

import io.scanenhancer.anatomy.Ch2TissueLabels;
import io.scanenhancer.anatomy.LabelVolume;
import io.scanenhancer.anatomy.TissueLabel;
import io.scanenhancer.enhance.Bicubic;
import io.scanenhancer.enhance.BoxDegradation;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.enhance.KspaceDegradation;
import io.scanenhancer.volume.HeldOutSlab;
import io.scanenhancer.volume.NiftiVolume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The classical baselines on the held-out slab of ch2 (axial 80..99), for the two degradations: bicubic and
 * zero-filling (sinc) of k-space-degraded inputs, clean and with complex noise, and bicubic of box-degraded inputs.
 * PSNR against the slice (data range 255), over the whole slice and inside the head (label map not background).
 * Nothing is fitted here. Run: {@code java -cp ... io.scanenhancer.evaluation.KspaceBaseline}.
 */
public final class KspaceBaseline {
    /** Noise relative to ch2's white matter (mean 112.8 in the tissue fit): SNR 30 in the low-resolution image. */
    public static final double WHITE_MATTER = 112.8;
    public static final double SNR = 30;

    /** One method on one input kind: PSNR per slice, whole slice and inside the head. */
    public record Row(String input, String method, double[] wholeSlice, double[] insideHead) {
        public double mean(double[] v) {
            double s = 0;
            for (double d : v) {
                s += d;
            }
            return s / v.length;
        }

        public double worst(double[] v) {
            double m = Double.POSITIVE_INFINITY;
            for (double d : v) {
                m = Math.min(m, d);
            }
            return m;
        }
    }

    private KspaceBaseline() {
    }

    public static List<Row> measure(NiftiVolume ch2, LabelVolume labels, HeldOutSlab slab) {
        int n = slab.endSlice() - slab.firstSlice();
        String[][] kinds = {{"k-space, clean", "zero-fill"}, {"k-space, clean", "bicubic"},
                {"k-space, SNR " + (int) SNR, "zero-fill"}, {"k-space, SNR " + (int) SNR, "bicubic"},
                {"box 2x2", "bicubic"}, {"box 2x2", "zero-fill"}};
        double[][] whole = new double[kinds.length][n], head = new double[kinds.length][n];
        double sigma = WHITE_MATTER / SNR;
        for (int s = 0; s < n; s++) {
            int k = slab.firstSlice() + s;
            FloatImage hr = new FloatImage(ch2.ny(), ch2.nx(), ch2.axial(k)).croppedToEven();
            boolean[] mask = headMask(labels.axial(k), ch2.nx(), hr.height(), hr.width());
            FloatImage clean = KspaceDegradation.degrade(hr, 2);
            FloatImage noisy = KspaceDegradation.degrade(hr, 2, KspaceDegradation.Filter.NONE, sigma, new Random(k));
            FloatImage box = BoxDegradation.downscale(hr, 2);
            FloatImage[] outputs = {KspaceDegradation.zeroFill(clean, 2), Bicubic.upscale(clean, 2),
                    KspaceDegradation.zeroFill(noisy, 2), Bicubic.upscale(noisy, 2),
                    Bicubic.upscale(box, 2), KspaceDegradation.zeroFill(box, 2)};
            for (int m = 0; m < outputs.length; m++) {
                whole[m][s] = ImageMetrics.psnr(outputs[m], hr, null, 255);
                head[m][s] = ImageMetrics.psnr(outputs[m], hr, mask, 255);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int m = 0; m < kinds.length; m++) {
            rows.add(new Row(kinds[m][0], kinds[m][1], whole[m], head[m]));
        }
        return rows;
    }

    /** Head voxels of an axial label slice (ny rows x nx columns), cropped like the image. */
    static boolean[] headMask(byte[] labelSlice, int nx, int height, int width) {
        boolean[] mask = new boolean[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                mask[y * width + x] = labelSlice[y * nx + x] != TissueLabel.BACKGROUND.value();
            }
        }
        return mask;
    }

    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| input | method | whole slice mean / worst dB | inside head mean / worst dB |\n|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(String.format("| %s | %s | %.2f / %.2f | %.2f / %.2f |%n", r.input(), r.method(),
                    r.mean(r.wholeSlice()), r.worst(r.wholeSlice()), r.mean(r.insideHead()), r.worst(r.insideHead())));
        }
        return b.toString();
    }

    public static void main(String[] args) throws IOException {
        NiftiVolume ch2 = NiftiVolume.read(Path.of("/usr/share/mricron/templates/ch2.nii.gz"));
        List<Row> rows = measure(ch2, Ch2TissueLabels.load(), HeldOutSlab.CH2);
        System.out.println("ch2 axial " + HeldOutSlab.CH2.firstSlice() + ".." + (HeldOutSlab.CH2.endSlice() - 1)
                + ", 2x, PSNR vs the slice (range 255); noise sigma " + String.format("%.2f", WHITE_MATTER / SNR)
                + " per channel (white matter / " + (int) SNR + ")");
        System.out.print(table(rows));
        for (int m = 0; m + 1 < 4; m += 2) {
            double[] gain = new double[rows.get(m).wholeSlice().length], gainHead = new double[gain.length];
            for (int s = 0; s < gain.length; s++) {
                gain[s] = rows.get(m).wholeSlice()[s] - rows.get(m + 1).wholeSlice()[s];
                gainHead[s] = rows.get(m).insideHead()[s] - rows.get(m + 1).insideHead()[s];
            }
            Row g = rows.get(m);
            System.out.printf("zero-fill minus bicubic, %s: whole slice mean %+.2f worst %+.2f dB; inside head mean %+.2f worst %+.2f dB%n",
                    g.input(), g.mean(gain), g.worst(gain), g.mean(gainHead), g.worst(gainHead));
        }
    }
}
