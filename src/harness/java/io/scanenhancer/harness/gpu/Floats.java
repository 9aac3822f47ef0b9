package io.scanenhancer.harness.gpu;

import io.scanenhancer.volume.NiftiVolume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw little-endian float32 files: what travels to the GPU machine, which has the kit's runtime but neither the
 * Debian data packages nor a DICOM reader's inputs.
 */
public final class Floats {
    static final String CH2 = "/usr/share/mricron/templates/ch2.nii.gz";

    private Floats() {
    }

    static void write(Path file, List<float[]> images) throws IOException {
        int n = images.stream().mapToInt(a -> a.length).sum();
        ByteBuffer buf = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] img : images) {
            buf.asFloatBuffer().put(img);
            buf.position(buf.position() + 4 * img.length);
        }
        Files.write(file, buf.array());
    }

    /** The file cut into images of {@code perImage} values each. */
    static List<float[]> read(Path file, int perImage) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int n = buf.remaining() / 4;
        if (n % perImage != 0) {
            throw new IOException(file + " holds " + n + " floats, not a whole number of images of " + perImage);
        }
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n / perImage; i++) {
            float[] img = new float[perImage];
            buf.asFloatBuffer().get(img);
            buf.position(buf.position() + 4 * perImage);
            out.add(img);
        }
        return out;
    }

    /**
     * Axial slice {@code k} of ch2 (Colin 27 T1, 181x217) centred in a size x size frame, cropped or zero-padded:
     * the same framing as {@code bench}'s test slice, so figures compare.
     */
    public static float[] ch2Slice(NiftiVolume v, int k, int size) {
        float[] axial = v.axial(k);
        float[] out = new float[size * size];
        int oy = (size - v.ny()) / 2, ox = (size - v.nx()) / 2;
        for (int y = 0; y < v.ny(); y++) {
            for (int x = 0; x < v.nx(); x++) {
                int ty = y + oy, tx = x + ox;
                if (ty >= 0 && ty < size && tx >= 0 && tx < size) {
                    out[ty * size + tx] = axial[y * v.nx() + x];
                }
            }
        }
        return out;
    }

    static NiftiVolume ch2() throws IOException {
        return NiftiVolume.read(Path.of(System.getProperty("scanenhancer.ch2", CH2)));
    }
}
