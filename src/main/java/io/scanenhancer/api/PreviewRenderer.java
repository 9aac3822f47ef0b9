package io.scanenhancer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.image.BeforeAfterPng;
import io.scanenhancer.dicom.SourceImage;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.service.EnhancerService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.ByteArrayInputStream;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The before/after sheet of a finished job: the middle slice (by Instance Number) of the first source series beside
 * the same slice of its derived series, both fetched from the PACS the result names. Cached per job.
 */
@ApplicationScoped
public class PreviewRenderer {
    private static final int CACHED = 32;

    @Inject
    EnhancerService service;

    private final Map<String, byte[]> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > CACHED;
        }
    };

    byte[] render(String jobId, JsonNode result) throws Exception {
        synchronized (cache) {
            byte[] hit = cache.get(jobId);
            if (hit != null) {
                return hit;
            }
        }
        String study = result.path("studyInstanceUid").asText();
        JsonNode series = result.path("series").get(0);
        Pacs source = service.registry().get(result.path("sourcePacs").asText());
        Pacs target = service.registry().get(result.path("targetPacs").asText());
        List<byte[]> before = byInstanceNumber(source.retrieve(study, series.path("sourceSeriesInstanceUid").asText()));
        List<byte[]> after = byInstanceNumber(target.retrieve(study, series.path("derivedSeriesInstanceUid").asText()));
        if (before.isEmpty() || after.isEmpty()) {
            throw new IllegalStateException("the source or derived series is no longer in the PACS");
        }
        int middle = before.size() / 2;
        SourceImage b = SourceImage.read(before.get(middle));
        SourceImage a = SourceImage.read(after.get(Math.min(middle, after.size() - 1)));
        byte[] png = BeforeAfterPng.png(b.frame(b.frameCount() / 2), a.frame(a.frameCount() / 2));
        synchronized (cache) {
            cache.put(jobId, png);
        }
        return png;
    }

    private static List<byte[]> byInstanceNumber(List<byte[]> objects) {
        return objects.stream().sorted(Comparator.comparingInt(PreviewRenderer::instanceNumber)).toList();
    }

    private static int instanceNumber(byte[] part10) {
        try {
            AttributeList list = new AttributeList();
            list.read(new DicomInputStream(new ByteArrayInputStream(part10)), TagFromName.InstanceNumber);
            return Attribute.getSingleIntegerValueOrDefault(list, TagFromName.InstanceNumber, 0);
        } catch (Exception e) {
            return 0;
        }
    }
}
