package dev.loadleak.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code loadleak import openapi SPEC}: a scenario from an OpenAPI 3 document. One flow,
 * {@code smoke}, calls every operation whose parameters can be filled (from an example, a default,
 * an enum's first value, or the schema's type) once per iteration, each expecting its documented
 * success status (parameters named like a password, secret, token or API key become
 * {@code ${env:NAME}}); a flow {@code crud-NAME} per collection whose paths make it evident (a POST on
 * {@code /things}, then GET and DELETE on {@code /things/{id}}) creates an item, extracts its id
 * from the answer, reads it back and deletes it. Bearer and API-key security schemes become
 * {@code ${env:…}} placeholders, never values. What cannot be filled is listed, not guessed.
 */
public final class OpenApiImport {
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    /** Parameter names whose values are secrets: they become {@code ${env:NAME}}. */
    private static final java.util.regex.Pattern SECRET_NAME = java.util.regex.Pattern.compile(
            "(?i)pass(word|wd)?|secret|token|api[_-]?key|credential");
    private static final ObjectMapper YAML_OUT = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    /** The scenario as YAML, what was left out and why, and the environment variables it reads. */
    public record Result(String yaml, List<String> skipped, Set<String> env) {
    }

    private final JsonNode root;
    private final SchemaValues values;
    private final Set<String> skipped = new LinkedHashSet<>();
    private final Set<String> env = new LinkedHashSet<>();

    private OpenApiImport(JsonNode root) {
        this.root = root;
        this.values = new SchemaValues(root);
    }

    /**
     * @param target the base URL requests go to; null: the document's first server (it must then be absolute)
     */
    public static Result convert(JsonNode spec, String name, String target) {
        if (!spec.path("openapi").asText("").startsWith("3.")) {
            throw new IllegalArgumentException("not an OpenAPI 3 document (no openapi: 3.x field)"
                    + (spec.has("swagger") ? "; Swagger 2 documents are not read: convert it to OpenAPI 3 first" : ""));
        }
        return new OpenApiImport(spec).build(name, target);
    }

    private Result build(String name, String target) {
        String base = base(target);
        // a relative server URL: its path goes before every path
        JsonNode server = root.path("servers").path(0).path("url");
        String prefix = target != null && server.asText("").startsWith("/") ? server.asText("") : "";
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("name", name);
        doc.put("target", base);
        ArrayNode phases = doc.putArray("phases");
        phases.addObject().put("name", "smoke").put("duration", "30s").put("rate", "1/s");
        ArrayNode flows = doc.putArray("flows");
        ObjectNode smoke = JsonNodeFactory.instance.objectNode().put("name", "smoke").put("onError", "continue");
        ArrayNode smokeSteps = smoke.putArray("steps");
        Set<String> names = new LinkedHashSet<>();
        Map<String, JsonNode> paths = new LinkedHashMap<>();
        root.path("paths").fields().forEachRemaining(e -> paths.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, JsonNode> p : paths.entrySet()) {
            for (String method : METHODS) {
                JsonNode op = p.getValue().get(method);
                if (op != null) {
                    ObjectNode step = step(prefix, p.getKey(), p.getValue(), method, op, names, Map.of());
                    if (step != null) {
                        smokeSteps.add(step);
                    }
                }
            }
        }
        if (!smokeSteps.isEmpty()) {
            flows.add(smoke);
        }
        for (Map.Entry<String, JsonNode> p : paths.entrySet()) {
            ObjectNode crud = crud(prefix, p.getKey(), p.getValue(), paths, names);
            if (crud != null) {
                flows.add(crud);
            }
        }
        if (flows.isEmpty()) {
            throw new IllegalArgumentException("no operation could be filled: " + String.join("; ", skipped));
        }
        ObjectNode criteria = doc.putObject("criteria");
        criteria.putArray("required").add("error_rate < 1%");
        criteria.putArray("target").add("p95 < 500ms");
        StringBuilder head = new StringBuilder("# made by 'loadleak import openapi' from ")
                .append(root.path("info").path("title").asText("an OpenAPI document")).append(' ')
                .append(root.path("info").path("version").asText("")).append('\n')
                .append("# smoke: every operation once per iteration (it includes PUT, PATCH and DELETE: point it at a ")
                .append("test system)\n");
        if (!env.isEmpty()) {
            head.append("# set before running: ").append(String.join(", ", env)).append('\n');
        }
        for (String s : skipped) {
            head.append("# left out: ").append(s).append('\n');
        }
        try {
            return new Result(head + YAML_OUT.writeValueAsString(doc), List.copyOf(skipped),
                    java.util.Collections.unmodifiableSet(new LinkedHashSet<>(env)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The target without a trailing slash: the one given, else the document's first server (an absolute URL). */
    private String base(String target) {
        String base = target;
        if (base == null) {
            String url = root.path("servers").path(0).path("url").asText("");
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException("the document's first server is \"" + url + "\", not an absolute "
                        + "http(s) URL: give the target with --target http://HOST:PORT");
            }
            base = url;
        }
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** A step calling {@code method path}, with {@code given} path parameters as written; null when it cannot be filled. */
    private ObjectNode step(String prefix, String path, JsonNode item, String method, JsonNode op, Set<String> names,
                            Map<String, String> given) {
        String where = method.toUpperCase(Locale.ROOT) + " " + path;
        ObjectNode step = JsonNodeFactory.instance.objectNode();
        String id = op.path("operationId").asText("");
        step.put("name", unique(names, id.isEmpty() ? (method + path).replaceAll("[^A-Za-z0-9]+", "-")
                .replaceAll("-+$", "") : id.replaceAll("[^A-Za-z0-9_.-]+", "-")));
        if (!method.equals("get")) {
            step.put("method", method.toUpperCase(Locale.ROOT));
        }
        String filled = prefix + path;
        ObjectNode query = JsonNodeFactory.instance.objectNode();
        ObjectNode headers = JsonNodeFactory.instance.objectNode();
        List<JsonNode> params = new ArrayList<>();
        item.path("parameters").forEach(params::add);
        op.path("parameters").forEach(params::add);
        for (JsonNode raw : params) {
            JsonNode prm = values.resolve(raw);
            String pname = prm.path("name").asText();
            String in = prm.path("in").asText();
            boolean required = prm.path("required").asBoolean(in.equals("path"));
            if (in.equals("path") && given.containsKey(pname)) {
                filled = filled.replace("{" + pname + "}", given.get(pname));
                continue;
            }
            if (!required) {
                continue;
            }
            String value = value(prm, pname);
            if (value == null || in.equals("cookie")) {
                skipped.add(where + ": its " + in + " parameter " + pname + " cannot be filled");
                return null;
            }
            switch (in) {
                case "path" -> filled = filled.replace("{" + pname + "}", value);
                case "query" -> query.put(pname, value);
                case "header" -> headers.put(pname, value);
                default -> {
                    skipped.add(where + ": a parameter in " + in);
                    return null;
                }
            }
        }
        step.put("path", filled);
        if (!query.isEmpty()) {
            step.set("query", query);
        }
        security(op, headers, query);
        if (!headers.isEmpty()) {
            step.set("headers", headers);
        }
        if (!body(step, op, where)) {
            return null;
        }
        String ok = success(op);
        step.putObject("expect").put("status", ok);
        return step;
    }

    /**
     * A required parameter's value: its example or one its schema allows; a password or token is never written
     * into a scenario, not even the document's example, but read from the environment. Null when none can be had.
     */
    private String value(JsonNode prm, String pname) {
        if (SECRET_NAME.matcher(pname).find()) {
            String var = pname.replaceAll("[^A-Za-z0-9]+", "_").toUpperCase(Locale.ROOT);
            env.add(var);
            return "${env:" + var + "}";
        }
        return values.scalar(prm.has("example") ? prm.get("example") : prm.path("schema"));
    }

    /** The operation's JSON body into {@code step}: false (and why in skipped) when a required body is not JSON. */
    private boolean body(ObjectNode step, JsonNode op, String where) {
        JsonNode body = op.path("requestBody");
        if (body.isMissingNode()) {
            return true;
        }
        body = values.resolve(body);
        JsonNode json = body.path("content").path("application/json");
        if (json.isMissingNode()) {
            if (body.path("required").asBoolean(false)) {
                skipped.add(where + ": its body is not JSON (" + String.join(", ", SchemaValues.fieldNames(body.path("content")))
                        + ")");
                return false;
            }
            return true;
        }
        JsonNode example = json.has("example") ? json.get("example") : SchemaValues.first(json.path("examples"));
        step.set("body", example != null ? example : values.sample(json.path("schema"), 0));
        return true;
    }

    /** create → read → delete on a collection whose item path is the collection plus one parameter. */
    private ObjectNode crud(String prefix, String collection, JsonNode item, Map<String, JsonNode> paths, Set<String> names) {
        JsonNode create = item.get("post");
        if (create == null || collection.contains("{")) {
            return null;
        }
        for (Map.Entry<String, JsonNode> e : paths.entrySet()) {
            String p = e.getKey();
            if (!p.startsWith(collection + "/{") || !p.endsWith("}") || p.indexOf('/', collection.length() + 1) >= 0) {
                continue;
            }
            JsonNode read = e.getValue().get("get");
            JsonNode delete = e.getValue().get("delete");
            if (read == null || delete == null) {
                continue;
            }
            String param = p.substring(collection.length() + 2, p.length() - 1);
            String field = idField(create, param);
            if (field == null) {
                skipped.add("the create/read/delete flow of " + collection + ": the answer of POST " + collection
                        + " names no id field for {" + param + "}");
                return null;
            }
            String var = param.replaceAll("[^A-Za-z0-9_]", "_");
            Set<String> own = new LinkedHashSet<>();
            ObjectNode c = step(prefix, collection, item, "post", create, own, Map.of());
            ObjectNode r = step(prefix, p, e.getValue(), "get", read, own, Map.of(param, "${" + var + "}"));
            ObjectNode d = step(prefix, p, e.getValue(), "delete", delete, own, Map.of(param, "${" + var + "}"));
            if (c == null || r == null || d == null) {
                return null;
            }
            c.putObject("extract").putObject(var).put("json", "/" + field).put("secret", false);
            ObjectNode flow = JsonNodeFactory.instance.objectNode();
            flow.put("name", unique(names, "crud-" + collection.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "")));
            flow.putArray("steps").add(c).add(r).add(d);
            return flow;
        }
        return null;
    }

    /** The field of the create answer that holds the new item's id: the parameter's own name, else "id". */
    private String idField(JsonNode create, String param) {
        JsonNode answer = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = create.path("responses").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> r = it.next();
            if (r.getKey().startsWith("2")) {
                answer = values.resolve(values.resolve(r.getValue()).path("content").path("application/json").path("schema"));
                break;
            }
        }
        if (answer == null) {
            return null;
        }
        JsonNode props = answer.path("properties");
        if (props.has(param)) {
            return param;
        }
        return props.has("id") ? "id" : null;
    }

    /** Bearer and API-key schemes as {@code ${env:…}} placeholders: the operation's own, else the document's. */
    private void security(JsonNode op, ObjectNode headers, ObjectNode query) {
        JsonNode req = op.has("security") ? op.get("security") : root.path("security");
        if (!req.isArray() || req.isEmpty()) {
            return;
        }
        JsonNode schemes = root.path("components").path("securitySchemes");
        // the first alternative whose schemes can all be filled
        for (JsonNode alternative : req) {
            ObjectNode h = JsonNodeFactory.instance.objectNode();
            ObjectNode q = JsonNodeFactory.instance.objectNode();
            boolean all = true;
            for (String s : SchemaValues.fieldNames(alternative)) {
                JsonNode scheme = values.resolve(schemes.path(s));
                String var = s.replaceAll("[^A-Za-z0-9]+", "_").toUpperCase(Locale.ROOT);
                String type = scheme.path("type").asText();
                if (type.equals("http") && scheme.path("scheme").asText().equalsIgnoreCase("bearer")) {
                    h.put("Authorization", "Bearer ${env:" + var + "_TOKEN}");
                    env.add(var + "_TOKEN");
                } else if (type.equals("apiKey") && scheme.path("in").asText().equals("header")) {
                    h.put(scheme.path("name").asText(), "${env:" + var + "}");
                    env.add(var);
                } else if (type.equals("apiKey") && scheme.path("in").asText().equals("query")) {
                    q.put(scheme.path("name").asText(), "${env:" + var + "}");
                    env.add(var);
                } else {
                    all = false;
                }
            }
            if (all) {
                headers.setAll(h);
                query.setAll(q);
                return;
            }
        }
        skipped.add("security " + req + ": only bearer and API-key schemes are filled (OAuth2, OpenID and basic are "
                + "not); those operations are called without credentials");
    }

    /** The lowest documented 2xx status, else 2xx. */
    private static String success(JsonNode op) {
        int best = Integer.MAX_VALUE;
        for (String code : SchemaValues.fieldNames(op.path("responses"))) {
            if (code.matches("2\\d\\d")) {
                best = Math.min(best, Integer.parseInt(code));
            }
        }
        return best == Integer.MAX_VALUE ? "2xx" : String.valueOf(best);
    }

    private static String unique(Set<String> names, String name) {
        String n = name.isEmpty() ? "op" : name;
        String u = n;
        for (int i = 2; !names.add(u); i++) {
            u = n + "-" + i;
        }
        return u;
    }
}
