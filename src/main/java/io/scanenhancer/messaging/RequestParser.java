package io.scanenhancer.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.scanenhancer.diffusion.Degradation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a record value into a {@link StudyRequest} or says precisely what is wrong with it. Checked by hand rather
 * than by data binding so that every reason names the field and the rule (the same rules as the JSON Schema).
 * Unknown fields are ignored, so producers may add fields without breaking older consumers.
 */
public final class RequestParser {
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final int MAX_UID = 64;
    private static final List<String> SAMPLERS = List.of("ddim", "ddpm");
    private final ObjectMapper json;

    public RequestParser(ObjectMapper json) {
        this.json = json;
    }

    public StudyRequest parse(String value) throws InvalidRequestException {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException("empty record value");
        }
        JsonNode root;
        try {
            root = json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("not a JSON object");
        }
        ObjectNode o = (ObjectNode) root;
        String requestId = requiredString(o, "requestId");
        if (requestId.length() > 200) {
            throw new InvalidRequestException("field 'requestId' is longer than 200 characters");
        }
        if (StudyRequest.OPERATION_SYNTHESIZE.equals(textOrNull(o, "operation"))) {
            return synthesize(o, requestId);
        }
        String study = uid(o, "studyInstanceUid", requiredString(o, "studyInstanceUid"));
        List<String> series = null;
        JsonNode seriesNode = o.get("seriesInstanceUids");
        if (seriesNode != null && !seriesNode.isNull()) {
            if (!seriesNode.isArray()) {
                throw new InvalidRequestException("field 'seriesInstanceUids' must be an array of UIDs");
            }
            if (seriesNode.size() > StudyRequest.MAX_SERIES) {
                // no study has that many series; checking each UID against the PACS would tie the consumer up
                throw new InvalidRequestException("field 'seriesInstanceUids' has " + seriesNode.size()
                        + " entries, more than " + StudyRequest.MAX_SERIES);
            }
            series = new ArrayList<>();
            for (JsonNode n : seriesNode) {
                if (!n.isTextual()) {
                    throw new InvalidRequestException("field 'seriesInstanceUids' must contain only strings");
                }
                series.add(uid(o, "seriesInstanceUids", n.asText()));
            }
        }
        String source = requiredString(o, "sourcePacs");
        String target = requiredString(o, "targetPacs");
        String operation = requiredString(o, "operation");
        if (!StudyRequest.OPERATION_ENHANCE.equals(operation)) {
            throw new InvalidRequestException("unsupported operation '" + operation + "' (supported: enhance, synthesize)");
        }
        Integer scale = optionalInt(o, "scale");
        if (scale != null && scale != 2) {
            throw new InvalidRequestException("unsupported scale " + scale + " (supported: 2)");
        }
        StudyRequest.Sampler sampler = null;
        JsonNode s = o.get("sampler");
        if (s != null && !s.isNull()) {
            if (!s.isObject()) {
                throw new InvalidRequestException("field 'sampler' must be an object");
            }
            ObjectNode so = (ObjectNode) s;
            String name = optionalString(so, "sampler.name", "name");
            if (name != null && !SAMPLERS.contains(name)) {
                throw new InvalidRequestException("unknown sampler '" + name + "' (known: ddim, ddpm)");
            }
            Integer steps = optionalIntIn(so, "sampler.steps", "steps", 1, 1000);
            Integer samples = optionalIntIn(so, "sampler.samples", "samples", 1, 64);
            Double strength = null;
            JsonNode st = so.get("strength");
            if (st != null && !st.isNull()) {
                if (!st.isNumber() || !(st.asDouble() > 0 && st.asDouble() <= 1)) {
                    throw new InvalidRequestException("field 'sampler.strength' must be a number in (0, 1]");
                }
                strength = st.asDouble();
            }
            sampler = new StudyRequest.Sampler(name, steps, samples, strength);
        }
        Long seed = null;
        JsonNode seedNode = o.get("seed");
        if (seedNode != null && !seedNode.isNull()) {
            if (!seedNode.isIntegralNumber() || !seedNode.canConvertToLong()) {
                throw new InvalidRequestException("field 'seed' must be an integer");
            }
            seed = seedNode.asLong();
        }
        Integer uncertainty = optionalIntIn(o, "uncertainty", "uncertainty", 2, 64);
        if (uncertainty != null && sampler != null && sampler.samples() != null && !sampler.samples().equals(uncertainty)) {
            throw new InvalidRequestException("fields 'sampler.samples' (" + sampler.samples() + ") and 'uncertainty' ("
                    + uncertainty + ") disagree: uncertainty N draws N posterior samples");
        }
        Integer batchSize = optionalIntIn(o, "batchSize", "batchSize", 1, StudyRequest.MAX_BATCH_SIZE);
        String degradation = optionalString(o, "degradation", "degradation");
        if (degradation != null) {
            try {
                Degradation.of(degradation);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("field 'degradation': " + e.getMessage(), e);
            }
        }
        return new StudyRequest(requestId, study, series, source, target, operation, scale == null ? 2 : scale, sampler, seed,
                uncertainty, null, batchSize, null, null, degradation);
    }

    /**
     * synthesize: targetPacs and count required, seed, spacing and renderer optional (the same limits as the CLI,
     * {@link io.scanenhancer.synthesis.StudySpec}); what only enhance takes is refused, not ignored.
     */
    private static StudyRequest synthesize(ObjectNode o, String requestId) throws InvalidRequestException {
        for (String enhanceOnly : List.of("studyInstanceUid", "seriesInstanceUids", "sourcePacs", "sampler", "uncertainty", "scale",
                "degradation", "batchSize")) {
            if (o.has(enhanceOnly)) {
                throw new InvalidRequestException("field '" + enhanceOnly + "' does not apply to operation 'synthesize'");
            }
        }
        String target = requiredString(o, "targetPacs");
        Integer count = optionalIntIn(o, "count", "count", 1, 512);
        if (count == null) {
            throw new InvalidRequestException("field 'count' is missing (slices of the synthetic series, 1 to 512)");
        }
        Long seed = 0L;
        JsonNode seedNode = o.get("seed");
        if (seedNode != null && !seedNode.isNull()) {
            if (!seedNode.isIntegralNumber() || !seedNode.canConvertToLong()) {
                throw new InvalidRequestException("field 'seed' must be an integer");
            }
            seed = seedNode.asLong();
        }
        Double spacing = null;
        JsonNode spacingNode = o.get("spacing");
        if (spacingNode != null && !spacingNode.isNull()) {
            if (!spacingNode.isNumber()) {
                throw new InvalidRequestException("field 'spacing' must be a number (mm between slice centres), not " + kind(spacingNode));
            }
            spacing = spacingNode.asDouble();
        }
        String refusal = io.scanenhancer.synthesis.StudySpec.refusal(count, spacing);
        if (refusal != null) {
            throw new InvalidRequestException("fields 'count' and 'spacing': " + refusal);
        }
        String renderer = optionalString(o, "renderer", "renderer");
        if (renderer != null) {
            try {
                io.scanenhancer.synthesis.StudySpec.Renderer.of(renderer);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(e.getMessage());
            }
        }
        return StudyRequest.synthesize(requestId, target, count, seed, spacing, renderer);
    }

    private static String textOrNull(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    /** The requestId of a record, if it is JSON with a string requestId; for dead-letter headers. */
    public String requestIdOrNull(String value) {
        try {
            JsonNode n = json.readTree(value);
            JsonNode id = n == null ? null : n.get("requestId");
            return id != null && id.isTextual() ? id.asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String requiredString(ObjectNode o, String field) throws InvalidRequestException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            throw new InvalidRequestException("field '" + field + "' is missing");
        }
        if (!n.isTextual()) {
            throw new InvalidRequestException("field '" + field + "' must be a string, not " + kind(n));
        }
        if (n.asText().isBlank()) {
            throw new InvalidRequestException("field '" + field + "' is empty");
        }
        return n.asText();
    }

    private static String optionalString(ObjectNode o, String label, String field) throws InvalidRequestException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new InvalidRequestException("field '" + label + "' must be a string, not " + kind(n));
        }
        return n.asText();
    }

    private static Integer optionalInt(ObjectNode o, String field) throws InvalidRequestException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new InvalidRequestException("field '" + field + "' must be an integer, not " + kind(n));
        }
        return n.asInt();
    }

    private static Integer optionalIntIn(ObjectNode o, String label, String field, int min, int max)
            throws InvalidRequestException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new InvalidRequestException("field '" + label + "' must be an integer, not " + kind(n));
        }
        int v = n.asInt();
        if (v < min || v > max) {
            throw new InvalidRequestException("field '" + label + "' must be between " + min + " and " + max);
        }
        return v;
    }

    private static String uid(ObjectNode o, String field, String value) throws InvalidRequestException {
        if (value.length() > MAX_UID || !UID.matcher(value).matches()) {
            throw new InvalidRequestException("field '" + field + "' is not a DICOM UID (digits and dots, at most 64)");
        }
        return value;
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            default -> n.getNodeType().name().toLowerCase();
        };
    }
}
