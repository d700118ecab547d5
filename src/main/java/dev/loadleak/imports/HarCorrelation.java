package dev.loadleak.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The correlation of a HAR recording, for {@link HarImport}: what each answer gave ({@link #learn}) and each
 * request sent ({@link #sent}), and a later request's text with each value an answer gave replaced by its
 * variable ({@link #correlate}), the extraction added to the step that answered it.
 */
final class HarCorrelation {
    /** Values shorter than this are not correlated: "1" or "ok" would match everywhere. */
    static final int MIN_VALUE = 4;

    private static final Pattern ATTR = Pattern.compile("(name|value)=[\"']([^\"']*)[\"']", Pattern.CASE_INSENSITIVE);
    private static final Pattern HIDDEN_INPUT = Pattern.compile(
            "<input[^>]*type=[\"']hidden[\"'][^>]*>", Pattern.CASE_INSENSITIVE);
    /** Answer headers whose values are never a correlation (dates, sizes, types). */
    private static final Set<String> PLAIN_ANSWER_HEADERS = Set.of("date", "content-type", "content-length",
            "connection", "server", "vary", "cache-control", "expires", "last-modified", "set-cookie", "keep-alive",
            "transfer-encoding", "content-encoding", "access-control-allow-origin", "access-control-allow-headers",
            "access-control-allow-methods", "access-control-allow-credentials", "strict-transport-security");

    /** A value an answer gave: the step it came from and how to extract it. */
    private record Source(int step, String var, ObjectNode extract) {
    }

    private final List<String> correlated = new ArrayList<>();
    private final Map<String, Source> fromAnswers = new HashMap<>();
    /** Ids shorter than {@link #MIN_VALUE} ("42"): correlated only where a whole path segment is one. */
    private final Map<String, Source> shortIds = new HashMap<>();
    private final Set<String> sentBefore = new HashSet<>();
    private final Set<String> varNames = new LinkedHashSet<>();
    /** The name of the step whose answer is being read: a second "token" is named after it ("token_login"). */
    private String answering = "";

    /** A path whose whole segments that are short ids an answer gave ("/media/42") read their variables. */
    String shortIdsIn(String path, ArrayNode steps) {
        StringBuilder out = new StringBuilder();
        for (String seg : path.split("/", -1)) {
            Source s = shortIds.get(seg);
            out.append(out.length() == 0 && seg.isEmpty() ? "" : "/").append(s == null ? seg : use(s, steps));
        }
        return path.startsWith("/") && out.length() == 0 ? "/" : out.toString();
    }

    /** The variable of {@code s}, its extraction added to the step that answered it the first time. */
    private String use(Source s, ArrayNode steps) {
        ObjectNode answering = (ObjectNode) steps.get(s.step());
        ObjectNode extract = answering.has("extract") ? (ObjectNode) answering.get("extract") : answering.putObject("extract");
        if (!extract.has(s.var())) {
            extract.set(s.var(), s.extract());
            correlated.add(s.var() + " (" + answering.path("name").asText() + " → " + describe(s.extract()) + ")");
        }
        return "${" + s.var() + "}";
    }

    /** {@code text} with every value an earlier answer gave replaced by its variable (longest values first). */
    String correlate(String text, ArrayNode steps) {
        String out = text;
        List<String> values = fromAnswers.keySet().stream().filter(text::contains)
                .sorted((a, b) -> b.length() - a.length()).toList();
        for (String v : values) {
            // only where it stands alone: "/orders" is not in "/api/orders/7", "abcd" is not in "xabcdy"
            Matcher m = Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(v) + "(?![A-Za-z0-9])").matcher(out);
            if (m.find()) {
                out = m.replaceAll(Matcher.quoteReplacement(use(fromAnswers.get(v), steps)));
            }
        }
        return out;
    }

    /** What an answer gave that no request had sent before: its JSON leaves, its headers, its hidden inputs. */
    void learn(JsonNode e, int step, ObjectNode stepNode) {
        answering = stepNode.path("name").asText();
        JsonNode res = e.path("response");
        String body = res.path("content").path("text").asText("");
        if ("base64".equals(res.path("content").path("encoding").asText(""))) {
            body = "";
        }
        JsonNode json = body.isEmpty() ? null : HarImport.json(body);
        if (json != null) {
            leaves(json, "", step);
        } else if (!body.isEmpty()) {
            Matcher m = HIDDEN_INPUT.matcher(body);
            while (m.find()) {
                String name = null;
                String value = null;
                Matcher a = ATTR.matcher(m.group());
                while (a.find()) {
                    if (a.group(1).equalsIgnoreCase("name")) {
                        name = a.group(2);
                    } else {
                        value = a.group(2);
                    }
                }
                if (name != null && value != null) {
                    ObjectNode x = JsonNodeFactory.instance.objectNode().put("regex",
                            "name=[\"']" + Pattern.quote(name) + "[\"'][^>]*value=[\"']([^\"']*)[\"']");
                    offer(value, step, name, x);
                }
            }
        }
        for (JsonNode h : res.path("headers")) {
            String n = h.path("name").asText("");
            if (n.equalsIgnoreCase("set-cookie")) {
                String v = h.path("value").asText("");
                int eq = v.indexOf('=');
                int semi = v.indexOf(';');
                if (eq > 0) {
                    cookie(v.substring(0, eq).trim(), v.substring(eq + 1, semi > eq ? semi : v.length()).trim(), step);
                }
            } else if (!n.isEmpty() && !PLAIN_ANSWER_HEADERS.contains(n.toLowerCase(Locale.ROOT))) {
                offer(h.path("value").asText(""), step, n, JsonNodeFactory.instance.objectNode().put("header", n));
            }
        }
        for (JsonNode c : res.path("cookies")) {
            cookie(c.path("name").asText(""), c.path("value").asText(""), step);
        }
    }

    /**
     * A cookie an answer set: the jar sends it back by itself, but a page that copies it into a header
     * or a body (a double-submit CSRF token such as XSRF-TOKEN) needs it extracted.
     */
    private void cookie(String name, String value, int step) {
        if (!name.isEmpty()) {
            offer(value, step, name, JsonNodeFactory.instance.objectNode().put("cookie", name));
        }
    }

    private void leaves(JsonNode node, String pointer, int step) {
        if (node.isObject()) {
            node.properties().forEach(p -> leaves(p.getValue(), pointer + "/" + p.getKey().replace("~", "~0")
                    .replace("/", "~1"), step));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                leaves(node.get(i), pointer + "/" + i, step);
            }
        } else if (node.isTextual() || node.isIntegralNumber()) {
            String key = pointer.substring(pointer.lastIndexOf('/') + 1);
            ObjectNode x = JsonNodeFactory.instance.objectNode().put("json", pointer.isEmpty() ? "" : pointer);
            if (key.matches("(?i)(.*_)?id") || node.isIntegralNumber() && !HarImport.SECRET_NAME.matcher(key).matches()) {
                x.put("secret", false); // an id is no secret; a token is
            }
            offer(node.asText(), step, key.matches("\\d+") ? "value" : key, x);
        }
    }

    /** A value an answer gave, for later requests: unless a request sent it first, or another answer gave it before. */
    private void offer(String value, int step, String hint, ObjectNode extract) {
        if (value.isEmpty() || sentBefore.contains(value) || fromAnswers.containsKey(value) || shortIds.containsKey(value)
                || value.contains("/") && value.matches("[/A-Za-z_.-]+")) {
            return; // a path of words ("/orders" in a Location) is the API's structure, not a value
        }
        if (value.length() >= MIN_VALUE) {
            fromAnswers.put(value, new Source(step, variable(hint), extract));
        } else if (hint.matches("(?i)(.*_)?id") && value.matches("\\d+")) {
            shortIds.put(value, new Source(step, variable(hint), extract));
        }
    }

    /** Remembers what a request sent (its URL's segments and values, headers, body leaves): sent first, never correlated. */
    void sent(JsonNode req) {
        String url = req.path("url").asText("");
        for (String part : url.split("[/?&=#]")) {
            sentBefore.add(part);
        }
        req.path("headers").forEach(h -> sentBefore.add(h.path("value").asText("")));
        String text = req.path("postData").path("text").asText("");
        JsonNode json = text.isEmpty() ? null : HarImport.json(text);
        if (json != null) {
            collectLeaves(json);
        } else {
            for (String part : text.split("[&=]")) {
                sentBefore.add(part);
            }
        }
    }

    private void collectLeaves(JsonNode node) {
        if (node.isContainerNode()) {
            node.forEach(this::collectLeaves);
        } else {
            sentBefore.add(node.asText());
        }
    }

    private String variable(String hint) {
        String base = hint.replaceAll("[^A-Za-z0-9_]", "_").replaceAll("^[^A-Za-z_]+", "");
        if (base.isEmpty() || Set.of("uuid", "seq", "random", "env", "csv").contains(base)) {
            base = "value";
        }
        String v = base;
        if (varNames.contains(v)) {
            String[] parts = answering.split("-");
            v = base = base + "_" + parts[parts.length - 1].replaceAll("[^A-Za-z0-9_]", "_");
        }
        for (int i = 2; varNames.contains(v); i++) {
            v = base + i;
        }
        varNames.add(v);
        return v;
    }

    private static String describe(ObjectNode extract) {
        return extract.has("json") ? "json " + extract.path("json").asText()
                : extract.has("header") ? "header " + extract.path("header").asText()
                : extract.has("cookie") ? "cookie " + extract.path("cookie").asText() : "hidden input";
    }

    /** What was correlated so far: "var (step → where)". */
    List<String> correlated() {
        return correlated;
    }
}
