package io.scanenhancer.job;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.derivation.DerivationFactory;
import io.scanenhancer.derivation.DerivedInstance;
import io.scanenhancer.dicom.Derivation;
import io.scanenhancer.dicom.DerivedObject;
import io.scanenhancer.dicom.Dciodvfy;
import io.scanenhancer.dicom.SourceImage;
import io.scanenhancer.enhance.Bicubic;
import io.scanenhancer.enhance.EnhanceSettings;
import io.scanenhancer.enhance.Enhancer;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.image.FloatImage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three derivations of the sample series, as the service and the CLI name them ({@link DerivationFactory}, the one
 * place both write through): bicubic, the diffusion model's defaults, and the diffusion model with uncertainty 4 (its
 * mean series and its uncertainty series). Each gets its own Series Number and a description that names it.
 */
class DerivedSeriesOfTheSampleTest {
    private static final Path SAMPLE = Path.of("samples/mr-t1-colin27/IMG0001.dcm");

    record Named(String number, String description) {
    }

    private static Named write(Enhancer enhancer, EnhanceSettings settings, boolean uncertaintySeries) throws Exception {
        SourceImage source = SourceImage.read(Files.readAllBytes(SAMPLE));
        FloatImage up = Bicubic.upscale(source.frame(0), 2);
        float[] spread = new float[up.pixels().length];
        Arrays.fill(spread, 3f);
        List<EnhancedImage> frames = List.of(new EnhancedImage(up, new FloatImage(up.height(), up.width(), spread),
                enhancer.modelId(), false, 0, false));
        DerivedInstance written = new DerivationFactory(enhancer, settings, null).write(source, frames);
        Derivation d = written.derivation();
        DerivedObject o = uncertaintySeries ? written.uncertainty() : written.derived();
        Dciodvfy.assertValid(o.part10(), d.modelId() + " " + d.parameters());
        AttributeList out = new AttributeList();
        out.read(new com.pixelmed.dicom.DicomInputStream(new ByteArrayInputStream(o.part10())));
        return new Named(Attribute.getSingleStringValueOrEmptyString(out, TagFromName.SeriesNumber),
                Attribute.getSingleStringValueOrEmptyString(out, TagFromName.SeriesDescription));
    }

    @Test
    void threeDerivationsGetTheirOwnNumbersAndSayWhatTheyAre() throws Exception {
        String sourceDescription = "T1 3D spoiled GRE, Colin 27 average of 27 scans";
        EnhanceSettings defaults = EnhanceSettings.defaults();
        EnhanceSettings uncertainty = new EnhanceSettings(null, null, null, null, null, 4);
        List<Named> all = new ArrayList<>();
        try (Enhancer bicubic = Enhancers.open(Enhancers.BICUBIC, null);
             Enhancer diffusion = Enhancers.open(Enhancers.DIFFUSION, Enhancers.defaultModelDir())) {
            Named b = write(bicubic, defaults, false);
            Named d = write(diffusion, defaults, false);
            Named mean = write(diffusion, uncertainty, false);
            Named sd = write(diffusion, uncertainty, true);
            all.addAll(List.of(b, d, mean, sd));
            System.out.println("| derivation | Series Number | Series Description |");
            System.out.println("|---|---|---|");
            String[] names = {"bicubic", "diffusion, defaults", "diffusion, uncertainty 4: mean", "diffusion, uncertainty 4: SD"};
            for (int i = 0; i < all.size(); i++) {
                System.out.println("| " + names[i] + " | " + all.get(i).number() + " | " + all.get(i).description() + " |");
            }
            assertEquals("AI 2x bicubic NOT FOR DIAGNOSTIC USE", b.description().substring(b.description().indexOf("AI 2x")));
            assertTrue(d.description().contains(" AI 2x ddim1 seed0 NOT FOR DIAGNOSTIC USE"), d.description());
            assertTrue(mean.description().contains(" AI 2x mean4 ddim1 seed0 NOT FOR DIAGNOSTIC USE"), mean.description());
            assertTrue(sd.description().contains(" AI 2x SD4 ddim1 seed0 NOT FOR DIAGNOSTIC USE"), sd.description());
            // the uncertainty series pairs with its mean series: same slot, 1000 higher
            assertEquals(Integer.parseInt(mean.number()) + 1000, Integer.parseInt(sd.number()));
            // a redelivery of the same derivation reuses its number
            assertEquals(d, write(diffusion, defaults, false));
        }
        Set<String> numbers = new HashSet<>();
        for (Named n : all) {
            assertTrue(numbers.add(n.number()), "two derivations share Series Number " + n.number());
            int number = Integer.parseInt(n.number());
            assertTrue(number >= 1 + 1000 && number <= 1 + 2999, n.number() + " outside source 1 + 1000..2999");
            String d = n.description();
            assertTrue(d.length() <= 64, d);
            String head = d.substring(0, d.indexOf(" AI 2x"));
            // cut at a word boundary: the head is the source's description up to a whole word
            assertTrue(!head.isEmpty() && sourceDescription.startsWith(head)
                    && !Character.isLetterOrDigit(sourceDescription.charAt(head.length())), "'" + head + "' is cut mid-word");
        }
        assertNotEquals(all.get(0).number(), all.get(1).number());
    }
}
