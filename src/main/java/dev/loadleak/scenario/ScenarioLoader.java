package dev.loadleak.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a scenario file into a validated {@link Scenario}, or reports every problem at once,
 * each with file:line:column, the key path and a hint. Nothing is mutated while validating.
 */
public final class ScenarioLoader {
    static final Set<String> TOP_KEYS = Set.of("name", "target", "defaults", "phases", "requests");
    static final Set<String> DEFAULT_KEYS = Set.of("timeout", "maxConnections", "headers");
    static final Set<String> PHASE_KEYS = Set.of("name", "duration", "rate");
    static final Set<String> REQUEST_KEYS = Set.of("name", "method", "path", "headers", "body", "weight");
    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    static final int MAX_CONNECTIONS_LIMIT = 100_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String file;
    private final List<Problem> problems = new ArrayList<>();

    private ScenarioLoader(String file) {
        this.file = file;
    }

    public static Scenario load(Path path) throws InvalidScenarioException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidScenarioException(List.of(new Problem(path.toString(), 0, 0, "",
                    "cannot read the scenario file: " + e.getClass().getSimpleName() + " " + e.getMessage(),
                    "check the path")));
        }
        return parse(path.toString(), text);
    }

    public static Scenario parse(String file, String text) throws InvalidScenarioException {
        Node root = TreeReader.read(file, text);
        ScenarioLoader l = new ScenarioLoader(file);
        Scenario s = l.scenario(root);
        if (!l.problems.isEmpty()) {
            throw new InvalidScenarioException(l.problems);
        }
        return s;
    }

    private Scenario scenario(Node root) {
        if (root.kind() != Node.Kind.MAP) {
            problem(root, "", "a scenario is a map of keys (name, target, phases, requests, ...)", "see scenarios/README.md");
            return null;
        }
        checkKeys(root, "", TOP_KEYS);
        String name = optionalText(root, "name", "", "scenario");
        URI target = required(root, "target", "", "the base URL of the API under test, e.g. http://127.0.0.1:8080",
                n -> parseTarget(n));
        Defaults defaults = defaults(root.get("defaults"));
        List<Phase> phases = list(root, "phases", "", "at least one phase, e.g. - {name: steady, duration: 30s, rate: 50/s}",
                this::phase);
        List<RequestSpec> requests = list(root, "requests", "", "at least one request, e.g. - {name: list, path: /api/items}",
                this::request);
        uniqueNames(root.get("phases"), "phases");
        uniqueNames(root.get("requests"), "requests");
        if (!problems.isEmpty()) {
            return null;
        }
        return new Scenario(name, file, target, defaults, phases, requests);
    }

    private URI parseTarget(Node n) {
        URI u;
        try {
            u = new URI(n.text().trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"" + n.text() + "\" is not a URL; write e.g. http://127.0.0.1:8080");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
            throw new IllegalArgumentException("\"" + n.text() + "\" is not an http(s) URL; write e.g. http://127.0.0.1:8080");
        }
        return u;
    }

    private Defaults defaults(Node n) {
        long timeout = Defaults.DEFAULT_TIMEOUT_NANOS;
        int maxConnections = Defaults.DEFAULT_MAX_CONNECTIONS;
        Map<String, String> headers = Map.of();
        if (n == null) {
            return new Defaults(timeout, maxConnections, headers);
        }
        if (!expectMap(n, "defaults")) {
            return null;
        }
        checkKeys(n, "defaults", DEFAULT_KEYS);
        Long t = optional(n, "timeout", "defaults", this::positiveDuration);
        Integer mc = optional(n, "maxConnections", "defaults", this::maxConnections);
        Map<String, String> h = headers(n.get("headers"), "defaults.headers");
        return new Defaults(t == null ? timeout : t, mc == null ? maxConnections : mc, h == null ? headers : h);
    }

    private Phase phase(Node n, String path, int index) {
        if (!expectMap(n, path)) {
            return null;
        }
        checkKeys(n, path, PHASE_KEYS);
        String name = optionalText(n, "name", path, "phase-" + (index + 1));
        Long duration = required(n, "duration", path, "how long the phase lasts, e.g. 30s or 10m", this::positiveDuration);
        Double rate = required(n, "rate", path, "the arrival rate, e.g. 50/s", this::positiveRate);
        if (duration == null || rate == null) {
            return null;
        }
        return new Phase(name, duration, new Phase.ConstantRate(rate));
    }

    private RequestSpec request(Node n, String path, int index) {
        if (!expectMap(n, path)) {
            return null;
        }
        checkKeys(n, path, REQUEST_KEYS);
        String name = optionalText(n, "name", path, "request-" + (index + 1));
        String method = optional(n, "method", path, m -> {
            String up = m.text().trim().toUpperCase(Locale.ROOT);
            if (!METHODS.contains(up)) {
                throw new IllegalArgumentException("\"" + m.text() + "\" is not an HTTP method; use one of " + new java.util.TreeSet<>(METHODS));
            }
            return up;
        });
        String target = required(n, "path", path, "a path such as /api/v1/media, or a full http(s) URL", p -> {
            String s = p.text().trim();
            if (!s.startsWith("/") && !s.startsWith("http://") && !s.startsWith("https://")) {
                throw new IllegalArgumentException("\"" + s + "\" must start with / or be a full http(s) URL");
            }
            return s;
        });
        Map<String, String> headers = headers(n.get("headers"), path + ".headers");
        String body = body(n.get("body"), path + ".body");
        Integer weight = optional(n, "weight", path, w -> {
            int v = parseInt(w.text(), "weight");
            if (v < 1 || v > 1_000_000) {
                throw new IllegalArgumentException("weight must be between 1 and 1000000, was " + v);
            }
            return v;
        });
        if (target == null) {
            return null;
        }
        Map<String, String> h = headers == null ? new LinkedHashMap<>() : new LinkedHashMap<>(headers);
        if (body != null && n.get("body").kind() != Node.Kind.SCALAR
                && h.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("content-type"))) {
            h.put("Content-Type", "application/json");
        }
        return new RequestSpec(name, method == null ? (body == null ? "GET" : "POST") : method, target, h, body,
                weight == null ? 1 : weight);
    }

    private String body(Node n, String path) {
        if (n == null || n.kind() == Node.Kind.NULL) {
            return null;
        }
        if (n.kind() == Node.Kind.SCALAR) {
            return n.text();
        }
        try {
            return JSON.writeValueAsString(n.toPlain());
        } catch (JsonProcessingException e) {
            problem(n, path, "cannot be written as JSON: " + e.getOriginalMessage(), null);
            return null;
        }
    }

    private Map<String, String> headers(Node n, String path) {
        if (n == null || n.kind() == Node.Kind.NULL) {
            return null;
        }
        if (!expectMap(n, path)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        n.entries().forEach((k, v) -> {
            if (v.kind() != Node.Kind.SCALAR) {
                problem(v, path + "." + k, "a header value must be text", "quote it: " + k + ": \"...\"");
            } else if (!k.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                int[] loc = n.keyLocation(k);
                problems.add(new Problem(file, loc[0], loc[1], path + "." + k, "\"" + k + "\" is not a valid header name",
                        "header names are letters, digits and - only"));
            } else {
                out.put(k, v.text());
            }
        });
        return out;
    }

    private Long positiveDuration(Node n) {
        long v = Units.parseDurationNanos(n.text());
        if (v <= 0) {
            throw new IllegalArgumentException("must be more than 0; write e.g. 30s");
        }
        return v;
    }

    private Double positiveRate(Node n) {
        double r = Units.parseRatePerSecond(n.text());
        if (r <= 0) {
            throw new IllegalArgumentException("must be more than 0/s; write e.g. 50/s or 0.5/s");
        }
        if (r > 1_000_000) {
            throw new IllegalArgumentException("more than 1000000/s is beyond what one loadleak process sends; shard the load");
        }
        return r;
    }

    private Integer maxConnections(Node n) {
        int v = parseInt(n.text(), "maxConnections");
        if (v < 1 || v > MAX_CONNECTIONS_LIMIT) {
            throw new IllegalArgumentException("must be between 1 and " + MAX_CONNECTIONS_LIMIT + ", was " + v);
        }
        return v;
    }

    private static int parseInt(String text, String what) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number, was \"" + text + "\"");
        }
    }

    // ---- generic helpers: each records a problem instead of throwing ----

    private <T> List<T> list(Node parent, String key, String path, String hint, ItemReader<T> reader) {
        String p = join(path, key);
        Node n = parent.get(key);
        if (n == null) {
            problem(parent, p, "is missing", hint);
            return null;
        }
        if (n.kind() != Node.Kind.LIST || n.items().isEmpty()) {
            problem(n, p, "must be a non-empty list", hint);
            return null;
        }
        List<T> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < n.items().size(); i++) {
            T t = reader.read(n.items().get(i), p + "[" + i + "]", i);
            ok &= t != null;
            out.add(t);
        }
        return ok ? out : null;
    }

    private interface ItemReader<T> {
        T read(Node n, String path, int index);
    }

    private <T> T required(Node parent, String key, String path, String hint, Function<Node, T> parse) {
        if (parent.get(key) == null) {
            problem(parent, join(path, key), "is missing", hint);
            return null;
        }
        return optional(parent, key, path, parse);
    }

    private <T> T optional(Node parent, String key, String path, Function<Node, T> parse) {
        Node n = parent.get(key);
        if (n == null) {
            return null;
        }
        String p = join(path, key);
        if (n.kind() != Node.Kind.SCALAR) {
            problem(n, p, "must be a single value", null);
            return null;
        }
        try {
            return parse.apply(n);
        } catch (IllegalArgumentException e) {
            problem(n, p, e.getMessage(), null);
            return null;
        }
    }

    private String optionalText(Node parent, String key, String path, String fallback) {
        String s = optional(parent, key, path, n -> {
            if (n.text().isBlank()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return n.text().trim();
        });
        return s == null ? fallback : s;
    }

    private boolean expectMap(Node n, String path) {
        if (n.kind() != Node.Kind.MAP) {
            problem(n, path, "must be a map of keys", null);
            return false;
        }
        return true;
    }

    private void checkKeys(Node map, String path, Set<String> allowed) {
        for (String k : map.entries().keySet()) {
            if (!allowed.contains(k)) {
                int[] loc = map.keyLocation(k);
                String suggestion = DidYouMean.closest(k, allowed);
                problems.add(new Problem(file, loc[0], loc[1], join(path, k), "unknown key",
                        suggestion != null ? "did you mean \"" + suggestion + "\"?"
                                : "known keys here: " + String.join(", ", new java.util.TreeSet<>(allowed))));
            }
        }
    }

    /** Reads names straight from the list, so a duplicate is reported even when the items have other problems. */
    private void uniqueNames(Node listNode, String path) {
        if (listNode == null || listNode.kind() != Node.Kind.LIST) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < listNode.items().size(); i++) {
            Node name = listNode.items().get(i).get("name");
            if (name != null && name.kind() == Node.Kind.SCALAR && !seen.add(name.text().trim())) {
                problem(name, path + "[" + i + "].name", "\"" + name.text().trim() + "\" is used twice",
                        "give each a distinct name: reports and criteria refer to it");
            }
        }
    }

    private void problem(Node at, String path, String message, String hint) {
        problems.add(new Problem(file, at.line(), at.column(), path, message, hint));
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
