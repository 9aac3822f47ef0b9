package io.scanenhancer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Field by field: the REST API's request schema (EnhanceRequest in the OpenAPI document) against the JSON Schema of
 * the Kafka request. Every Kafka field but {@code count} (synthesize only) must be there with the same type and bounds
 * (minimum, maximum, exclusive minimum, const, lengths, items, pattern, enum, default), nested objects recursively;
 * the one allowed difference is that the REST endpoint's operation can only be enhance.
 */
final class RequestSchemaComparison {
    static final Set<String> KAFKA_ONLY = Set.of("count", "spacing", "renderer"); // synthesize only: not taken here

    private RequestSchemaComparison() {
    }

    static JsonNode kafkaRequestSchema() throws IOException {
        try (InputStream in = RequestSchemaComparison.class.getResourceAsStream("/schemas/study-requested.schema.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** The differences, one line each; empty when the schemas agree. */
    static List<String> differences(JsonNode openApi, JsonNode kafka) {
        List<String> out = new ArrayList<>();
        JsonNode rest = resolve(openApi, openApi.path("components").path("schemas").path("EnhanceRequest"));
        if (rest.isMissingNode()) {
            out.add("the OpenAPI document has no EnhanceRequest schema");
            return out;
        }
        compareObjects("", kafka, kafka, openApi, rest, out);
        return out;
    }

    private static void compareObjects(String path, JsonNode kafkaDoc, JsonNode k, JsonNode openApi, JsonNode o, List<String> out) {
        Set<String> names = new TreeSet<>();
        k.path("properties").fieldNames().forEachRemaining(names::add);
        o.path("properties").fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (path.isEmpty() && KAFKA_ONLY.contains(name)) {
                continue;
            }
            JsonNode kp = resolve(kafkaDoc, k.path("properties").path(name));
            JsonNode op = resolve(openApi, o.path("properties").path(name));
            if (kp.isMissingNode()) {
                out.add(path + name + ": in the REST schema, not in the Kafka schema");
            } else if (op.isMissingNode()) {
                out.add(path + name + ": in the Kafka schema, missing from the REST schema");
            } else {
                compare(path + name, kafkaDoc, kp, openApi, op, out);
            }
        }
    }

    private static void compare(String field, JsonNode kafkaDoc, JsonNode k, JsonNode openApi, JsonNode o, List<String> out) {
        String kt = type(k), ot = type(o);
        if (kt != null && !kt.equals(ot)) {
            out.add(field + ": type " + kt + " against " + ot);
        }
        // a const is a minimum and maximum of its own value
        same(field, "minimum", k.has("const") && "integer".equals(kt) ? k.get("const") : k.get("minimum"), o.get("minimum"), out);
        same(field, "maximum", k.has("const") && "integer".equals(kt) ? k.get("const") : k.get("maximum"), o.get("maximum"), out);
        same(field, "exclusive minimum", exclusiveMinimum(k), exclusiveMinimum(o), out);
        for (String key : List.of("minLength", "maxLength", "maxItems", "pattern", "default")) {
            same(field, key, k.get(key), o.get(key), out);
        }
        Set<String> ke = strings(k.get("enum")), oe = strings(o.get("enum"));
        boolean restrictedOperation = field.equals("operation") && oe.equals(Set.of("enhance")) && ke.containsAll(oe);
        if (!ke.equals(oe) && !restrictedOperation) {
            out.add(field + ": enum " + ke + " against " + oe);
        }
        if (k.has("items") || o.has("items")) {
            compare(field + "[]", kafkaDoc, resolve(kafkaDoc, k.path("items")), openApi, resolve(openApi, o.path("items")), out);
        }
        if (k.has("properties") || o.has("properties")) {
            compareObjects(field + ".", kafkaDoc, k, openApi, o, out);
        }
    }

    private static void same(String field, String what, JsonNode kafka, JsonNode rest, List<String> out) {
        String a = text(kafka), b = text(rest);
        if (a == null ? b != null : !a.equals(b)) {
            out.add(field + ": " + what + " " + a + " against " + b);
        }
    }

    /** Numbers compared by value (2 and 2.0 agree), everything else as text. */
    private static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        return n.isNumber() || n.isTextual() && n.asText().matches("-?[0-9.]+") && !n.asText().isEmpty()
                ? new BigDecimal(n.asText()).stripTrailingZeros().toPlainString() : n.asText();
    }

    /** JSON Schema 2020-12 and OpenAPI 3.1 write the bound itself; OpenAPI 3.0 writes true beside minimum. */
    private static JsonNode exclusiveMinimum(JsonNode n) {
        JsonNode e = n.get("exclusiveMinimum");
        if (e != null && e.isBoolean()) {
            return e.asBoolean() ? n.get("minimum") : null;
        }
        return e;
    }

    private static String type(JsonNode n) {
        JsonNode t = n.get("type");
        if (t == null) {
            return n.has("enum") || n.has("const") && n.get("const").isTextual() ? "string" : null;
        }
        if (t.isArray()) {
            for (JsonNode x : t) {
                if (!x.asText().equals("null")) {
                    return x.asText();
                }
            }
        }
        return t.asText();
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> s = new TreeSet<>();
        if (array != null) {
            array.forEach(v -> s.add(v.asText()));
        }
        return s;
    }

    /** Follows "$ref" (within the same document) and a single-entry allOf wrapper around one. */
    static JsonNode resolve(JsonNode doc, JsonNode n) {
        for (int depth = 0; depth < 8 && n != null && !n.isMissingNode(); depth++) {
            if (n.has("$ref")) {
                JsonNode target = doc;
                for (String part : n.get("$ref").asText().replaceFirst("^#/", "").split("/")) {
                    target = target.path(part);
                }
                n = merged(target, n);
            } else if (n.has("allOf") && n.get("allOf").size() == 1) {
                n = merged(n.get("allOf").get(0), n);
            } else {
                return n;
            }
        }
        return n;
    }

    /** The referenced schema with the referring node's own keywords (description, bounds) on top, minus the reference. */
    private static JsonNode merged(JsonNode target, JsonNode referring) {
        com.fasterxml.jackson.databind.node.ObjectNode m = target.deepCopy();
        for (Iterator<String> it = referring.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("$ref") && !key.equals("allOf")) {
                m.set(key, referring.get(key));
            }
        }
        return m;
    }
}
