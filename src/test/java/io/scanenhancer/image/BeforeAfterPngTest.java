package io.scanenhancer.image;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BeforeAfterPngTest {

    private static FloatImage ramp(int h, int w) {
        float[] px = new float[h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = i % w;
        }
        return new FloatImage(h, w, px);
    }

    /** White pixels of the band over columns left..left+width-1. */
    private static int lit(BufferedImage sheet, int left, int width) {
        int n = 0;
        for (int y = 0; y < BeforeAfterPng.LABEL_HEIGHT; y++) {
            for (int x = left; x < left + width; x++) {
                n += sheet.getRaster().getSample(x, y, 0) > 128 ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void thePreviewCarriesTheAiLabelInItsPixels() throws Exception {
        System.setProperty("java.awt.headless", "true");
        FloatImage source = ramp(40, 60), derived = ramp(80, 120);
        BufferedImage sheet = ImageIO.read(new ByteArrayInputStream(BeforeAfterPng.png(source, derived)));
        assertEquals(120 + 8 + 120, sheet.getWidth());
        assertEquals(BeforeAfterPng.LABEL_HEIGHT + 80, sheet.getHeight());
        int right = lit(sheet, 128, 120), left = lit(sheet, 0, 120);
        // text strokes, not a filled band: some pixels lit, most of the band still black
        assertTrue(right > 60 && right < 120 * BeforeAfterPng.LABEL_HEIGHT / 2, right + " lit pixels over the derived slice");
        assertTrue(left > 30, left + " lit pixels over the source");
        assertEquals(0, lit(sheet, 120, 8), "nothing over the gap");
        // the images themselves are untouched, below the band: the ramp's last column is the window's top
        assertEquals(255, sheet.getRaster().getSample(128 + 119, BeforeAfterPng.LABEL_HEIGHT + 40, 0));
        assertEquals(0, sheet.getRaster().getSample(128, BeforeAfterPng.LABEL_HEIGHT + 40, 0));
    }
}
