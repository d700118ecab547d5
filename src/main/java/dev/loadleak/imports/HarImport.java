package dev.loadleak.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scenario from a browser recording (HAR 1.2, as Chrome and Firefox export it): the target's
 * requests in order as one flow, static assets and other hosts left out, think times from the
 * recorded gaps, and values correlated — a value that first appears in an answer (a JSON field, a
 * header, a cookie it sets, an HTML hidden input) and is later sent becomes an {@code extract} on the step that
 * answered it and {@code ${var}} where it is sent. Passwords and tokens that no answer gave become
 * {@code ${env:…}}; cookies are left to each user's jar. No recorded secret reaches the scenario.
 */
public final class HarImport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML_OUT = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final Pattern STATIC_PATH = Pattern.compile(
            "(?i).*\\.(js|mjs|css|png|jpe?g|gif|svg|ico|webp|avif|woff2?|ttf|otf|eot|map|mp4|webm)$");
    private static final Pattern STATIC_TYPE = Pattern.compile("(?i)^(image/|font/|video/|audio/|text/css|"
            + "(application|text)/(x-)?javascript)");
    /** Request headers the client or the user's jar writes itself, or that only a browser sends. */
    private static final Set<String> DROPPED_HEADERS = Set.of("host", "cookie", "content-length", "connection",
            "accept-encoding", "user-agent", "origin", "referer", "accept-language", "cache-control", "pragma",
            "upgrade-insecure-requests", "priority", "te", "dnt", "if-none-match", "if-modified-since", "keep-alive");
    /** Field names whose values are secrets: read from the environment when no answer gave them. */
    static final Pattern SECRET_NAME = Pattern.compile("(?i).*(pass(word|wd)?|secret|token|api[_-]?key|credential).*");

    /** The scenario as YAML, what was left out, the variables correlated, the environment variables it reads. */
    public record Result(String yaml, List<String> skipped, List<String> correlated, Set<String> env) {
    }

    private final List<String> skipped = new ArrayList<>();
    private final Set<String> env = new LinkedHashSet<>();
    private final HarCorrelation links = new HarCorrelation();

    private HarImport() {
    }

    /**
     * @param origin     the target to keep ({@code http://host:port}); null: the most frequent one
     * @param keepStatic keep requests for scripts, styles, images and fonts
     */
    public static Result convert(JsonNode har, String name, String origin, boolean keepStatic) {
        JsonNode entries = har.path("log").path("entries");
        if (!entries.isArray() || entries.isEmpty()) {
            throw new IllegalArgumentException("not a HAR file with requests (no log.entries)");
        }
        return new HarImport().build(entries, name, origin, keepStatic);
    }

    private Result build(JsonNode entries, String name, String origin, boolean keepStatic) {
        String target = origin != null ? strip(origin) : mostFrequentOrigin(entries);
        List<JsonNode> kept = new ArrayList<>();
        Map<String, Integer> otherHosts = new LinkedHashMap<>();
        int statics = 0;
        for (JsonNode e : entries) {
            URI u = uri(e.path("request").path("url").asText(""));
            if (u == null || !target.equals(origin(u))) {
                otherHosts.merge(u == null ? "(unreadable URL)" : origin(u), 1, Integer::sum);
            } else if (e.path("request").path("method").asText("").equalsIgnoreCase("OPTIONS")) {
                skipped.add("OPTIONS " + u.getRawPath() + ": a browser's CORS preflight");
            } else if (!keepStatic && isStatic(u, e)) {
                statics++;
            } else {
                kept.add(e);
            }
        }
        otherHosts.forEach((h, n) -> skipped.add(n + " request" + (n == 1 ? "" : "s") + " to " + h + " (another host)"));
        if (statics > 0) {
            skipped.add(statics + " static asset" + (statics == 1 ? "" : "s") + " (scripts, styles, images, fonts; "
                    + "--keep-static keeps them)");
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("no request to " + target + " is left to replay: " + String.join("; ", skipped));
        }
        ArrayNode steps = JsonNodeFactory.instance.arrayNode();
        Set<String> stepNames = new LinkedHashSet<>();
        for (int i = 0; i < kept.size(); i++) {
            JsonNode e = kept.get(i);
            ObjectNode step = step(e, stepNames, steps);
            if (i + 1 < kept.size()) {
                long gap = millis(kept.get(i + 1)) - millis(e) - Math.round(e.path("time").asDouble(0));
                if (gap >= 50) {
                    step.put("think", gap + "ms");
                }
            }
            steps.add(step);
            links.learn(e, steps.size() - 1, step);
        }
        return result(name, target, steps);
    }

    private Result result(String name, String target, ArrayNode steps) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("name", name);
        doc.put("target", target);
        doc.putArray("phases").addObject().put("name", "replay").put("duration", "60s").put("concurrency", 1);
        ObjectNode flow = doc.putArray("flows").addObject().put("name", "recorded");
        flow.set("steps", steps);
        ObjectNode criteria = doc.putObject("criteria");
        criteria.putArray("required").add("error_rate < 1%");
        criteria.putArray("target").add("p95 < 500ms");
        StringBuilder head = new StringBuilder("# made by 'loadleak import har' from a browser recording of ")
                .append(target).append(": its requests in order, one user (raise phases[0].concurrency)\n");
        if (!links.correlated().isEmpty()) {
            head.append("# correlated (taken from an answer, sent later): ").append(String.join(", ", links.correlated())).append('\n');
        }
        if (!env.isEmpty()) {
            head.append("# set before running: ").append(String.join(", ", env)).append('\n');
        }
        for (String s : skipped) {
            head.append("# left out: ").append(s).append('\n');
        }
        try {
            return new Result(head + YAML_OUT.writeValueAsString(doc), List.copyOf(skipped), List.copyOf(links.correlated()),
                    java.util.Collections.unmodifiableSet(new LinkedHashSet<>(env)));
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** One recorded request as a step: its values sent before by an answer replaced by their variables. */
    private ObjectNode step(JsonNode e, Set<String> stepNames, ArrayNode steps) {
        JsonNode req = e.path("request");
        String method = req.path("method").asText("GET").toUpperCase(Locale.ROOT);
        URI u = uri(req.path("url").asText(""));
        String rawPath = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        ObjectNode step = JsonNodeFactory.instance.objectNode();
        step.put("name", stepName(method, rawPath, stepNames));
        if (!method.equals("GET")) {
            step.put("method", method);
        }
        step.put("path", links.correlate(links.shortIdsIn(rawPath, steps) + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()),
                steps));
        ObjectNode headers = JsonNodeFactory.instance.objectNode();
        for (JsonNode h : req.path("headers")) {
            String n = h.path("name").asText("");
            String lower = n.toLowerCase(Locale.ROOT);
            if (n.isEmpty() || n.startsWith(":") || lower.startsWith("sec-") || DROPPED_HEADERS.contains(lower)) {
                continue;
            }
            String v = links.correlate(h.path("value").asText(""), steps);
            if (lower.equals("authorization") && !v.contains("${")) {
                v = v.replaceFirst("^(\\S+\\s+)?.*$", "$1" + Matcher.quoteReplacement(env("HAR_AUTHORIZATION")));
            }
            headers.put(n, v);
        }
        String text = req.path("postData").path("text").asText(null);
        if (text != null && !text.isEmpty()) {
            JsonNode json = json(text);
            if (json != null && json.isContainerNode()) {
                step.set("body", correlateJson(json, steps, null));
            } else {
                step.put("body", formSecrets(links.correlate(text, steps)));
                String type = req.path("postData").path("mimeType").asText("");
                if (!type.isEmpty() && headers.properties().stream().noneMatch(h -> h.getKey().equalsIgnoreCase("content-type"))) {
                    headers.put("Content-Type", type);
                }
            }
        }
        if (!headers.isEmpty()) {
            step.set("headers", headers);
        }
        int status = e.path("response").path("status").asInt(0);
        if (status >= 100) {
            step.putObject("expect").put("status", status);
        }
        links.sent(req);
        return step;
    }

    /** A JSON body: each string leaf correlated, and a secret-named field no answer gave read from the environment. */
    private JsonNode correlateJson(JsonNode node, ArrayNode steps, String field) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(p -> out.set(p.getKey(), correlateJson(p.getValue(), steps, p.getKey())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(v -> out.add(correlateJson(v, steps, field)));
            return out;
        }
        String text = node.isValueNode() ? node.asText() : null;
        if (text == null) {
            return node;
        }
        String c = links.correlate(text, steps);
        if (!c.equals(text)) {
            return JsonNodeFactory.instance.textNode(c);
        }
        if (field != null && node.isTextual() && SECRET_NAME.matcher(field).matches()) {
            return JsonNodeFactory.instance.textNode(env("HAR_" + field.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT)));
        }
        return node;
    }

    /** A form body ({@code a=1&password=x}): a secret-named field no answer gave is read from the environment. */
    private String formSecrets(String body) {
        if (!body.matches("[^\\s=&]+=[^\\s&]*(&[^\\s=&]+=[^\\s&]*)*")) {
            return body;
        }
        StringBuilder out = new StringBuilder();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            if (SECRET_NAME.matcher(key).matches() && !value.isEmpty() && !value.contains("${")) {
                value = env("HAR_" + key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
            }
            out.append(out.length() == 0 ? "" : "&").append(key).append('=').append(value);
        }
        return out.toString();
    }

    private String env(String name) {
        env.add(name);
        return "${env:" + name + "}";
    }

    private static String stepName(String method, String path, Set<String> names) {
        String[] parts = path.split("/");
        String last = "root";
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isEmpty() && !parts[i].matches("[0-9a-fA-F-]{6,}|\\d+")) {
                last = parts[i];
                break;
            }
        }
        String base = (method.toLowerCase(Locale.ROOT) + "-" + last).replaceAll("[^A-Za-z0-9_-]", "_");
        String n = base;
        for (int i = 2; names.contains(n); i++) {
            n = base + "-" + i;
        }
        names.add(n);
        return n;
    }

    private static boolean isStatic(URI u, JsonNode e) {
        return STATIC_PATH.matcher(u.getRawPath() == null ? "" : u.getRawPath()).matches()
                || STATIC_TYPE.matcher(e.path("response").path("content").path("mimeType").asText("")).find();
    }

    private static String mostFrequentOrigin(JsonNode entries) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (JsonNode e : entries) {
            URI u = uri(e.path("request").path("url").asText(""));
            if (u != null && !isStatic(u, e)) {
                counts.merge(origin(u), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElseThrow(() -> new IllegalArgumentException("no http(s) request in the recording"));
    }

    private static URI uri(String url) {
        try {
            URI u = new URI(url);
            return u.getScheme() != null && u.getScheme().startsWith("http") && u.getHost() != null ? u : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String origin(URI u) {
        int port = u.getPort();
        return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT)
                + (port < 0 ? "" : ":" + port);
    }

    private static String strip(String origin) {
        URI u = uri(origin);
        if (u == null) {
            throw new IllegalArgumentException("--host " + origin + ": give an http(s) URL such as http://127.0.0.1:8080");
        }
        return origin(u);
    }

    private static long millis(JsonNode e) {
        try {
            return java.time.OffsetDateTime.parse(e.path("startedDateTime").asText("")).toInstant().toEpochMilli();
        } catch (java.time.format.DateTimeParseException ex) {
            return 0;
        }
    }

    static JsonNode json(String text) {
        String t = text.trim();
        if (!(t.startsWith("{") || t.startsWith("["))) {
            return null;
        }
        try {
            return JSON.readTree(t);
        } catch (IOException ex) {
            return null;
        }
    }
}
