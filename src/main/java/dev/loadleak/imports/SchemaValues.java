package dev.loadleak.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Values an OpenAPI document's schemas allow: a parameter's text and a JSON body, from the
 * document's examples, defaults and enums, else one of the schema's type; local {@code $ref}s
 * followed.
 */
final class SchemaValues {
    private final JsonNode root;

    SchemaValues(JsonNode root) {
        this.root = root;
    }

    /** A parameter's value as text: its example, default, first enum value, or one of its type; null if none. */
    String scalar(JsonNode schemaOrExample) {
        JsonNode s = resolve(schemaOrExample);
        if (s.isValueNode()) {
            return s.asText();
        }
        if (s.has("example") && s.get("example").isValueNode()) {
            return s.get("example").asText();
        }
        if (s.has("default") && s.get("default").isValueNode()) {
            return s.get("default").asText();
        }
        if (s.path("enum").isArray() && !s.path("enum").isEmpty()) {
            return s.path("enum").get(0).asText();
        }
        if (s.path("type").asText().equals("array")) {
            return scalar(s.path("items"));
        }
        return switch (s.path("type").asText()) {
            case "integer", "number" -> String.valueOf(Math.max(1, s.path("minimum").asLong(1)));
            case "boolean" -> "true";
            case "string" -> switch (s.path("format").asText()) {
                case "uuid" -> "${uuid}";
                case "date" -> "2024-01-01";
                case "date-time" -> "2024-01-01T00:00:00Z";
                case "email" -> "user${seq}@example.com";
                default -> "example";
            };
            default -> null;
        };
    }

    /** A body for {@code schema}: examples where given, required properties (all when none is), types otherwise. */
    JsonNode sample(JsonNode schema, int depth) {
        JsonNode s = resolve(schema);
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (s.has("example")) {
            return s.get("example");
        }
        if (s.has("default")) {
            return s.get("default");
        }
        if (s.path("enum").isArray() && !s.path("enum").isEmpty()) {
            return s.path("enum").get(0);
        }
        if (s.has("allOf")) {
            ObjectNode merged = f.objectNode();
            s.get("allOf").forEach(part -> {
                JsonNode v = sample(part, depth + 1);
                if (v.isObject()) {
                    merged.setAll((ObjectNode) v);
                }
            });
            return merged;
        }
        if (s.has("oneOf") || s.has("anyOf")) {
            return sample((s.has("oneOf") ? s.get("oneOf") : s.get("anyOf")).path(0), depth + 1);
        }
        String type = s.path("type").asText(s.has("properties") ? "object" : "");
        switch (type) {
            case "object":
                return object(s, depth);
            case "array": {
                ArrayNode a = f.arrayNode();
                if (depth <= 4) {
                    a.add(sample(s.path("items"), depth + 1));
                }
                return a;
            }
            case "integer":
                return f.numberNode(Math.max(1, s.path("minimum").asLong(1)));
            case "number":
                return f.numberNode(1.5);
            case "boolean":
                return f.booleanNode(true);
            default: {
                String v = scalar(s);
                return f.textNode(v == null ? "example" : v);
            }
        }
    }

    /** An object of the schema's required properties (all of them when none is required), read-only ones left out. */
    private ObjectNode object(JsonNode s, int depth) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (depth > 4) {
            return o;
        }
        Set<String> required = new LinkedHashSet<>();
        s.path("required").forEach(r -> required.add(r.asText()));
        for (String p : fieldNames(s.path("properties"))) {
            JsonNode prop = resolve(s.path("properties").get(p));
            if ((required.isEmpty() || required.contains(p)) && !prop.path("readOnly").asBoolean(false)) {
                o.set(p, sample(prop, depth + 1));
            }
        }
        return o;
    }

    /** Follows a local {@code $ref} (#/components/…), at most 20 deep. */
    JsonNode resolve(JsonNode n) {
        for (int i = 0; i < 20 && n != null && n.has("$ref"); i++) {
            String ref = n.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalArgumentException("$ref " + ref + ": only references inside the document are read");
            }
            n = root.at(ref.substring(1).replace("~1", "/"));
        }
        return n == null ? JsonNodeFactory.instance.missingNode() : n;
    }

    static JsonNode first(JsonNode examples) {
        Iterator<JsonNode> it = examples.elements();
        return it.hasNext() ? it.next().get("value") : null;
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
