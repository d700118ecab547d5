package dev.loadleak.scenario;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the {@code memory:} block. */
final class MemoryReader {
    static final Set<String> KEYS = Set.of("interval", "warmupShare", "leakThreshold", "sources");
    static final Set<String> SOURCE_KEYS = Set.of("name", "type", "url", "metric", "tokenEnv", "postGc", "pid", "evidence",
            "pidfile", "launch", "health", "pointer", "inspect", "forceGc", "forceGcEvery");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(?:\\{(.*)})?\\s*");
    private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");

    private final Validation v;
    private final Function<String, String> env;
    private final Set<String> secrets;

    private final java.util.function.Consumer<String> missingEnv;
    private final Confinement confinement;

    MemoryReader(Validation v, Function<String, String> env, Set<String> secrets,
                 java.util.function.Consumer<String> missingEnv, Confinement confinement) {
        this.v = v;
        this.env = env;
        this.secrets = secrets;
        this.missingEnv = missingEnv;
        this.confinement = confinement;
    }

    /** The URL of a source: a path on the target, or an absolute URL this server may scrape. */
    private String url(Node t) {
        String u = t.text().trim();
        Confinement.checkUrlShape(u);
        if (!u.startsWith("/")) {
            java.net.URI uri;
            try {
                uri = java.net.URI.create(u);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"" + u + "\" is not a URL; write a path such as /metrics or a full URL");
            }
            confinement.requireTarget(uri);
        }
        return u;
    }

    MemoryConfig read(Node n) {
        if (n == null) {
            return null;
        }
        if (!v.expectMap(n, "memory")) {
            return null;
        }
        v.checkKeys(n, "memory", KEYS);
        Long interval = v.optional(n, "interval", "memory", x -> {
            long nanos = Units.parseDurationNanos(x.text());
            if (nanos < 100_000_000L) {
                throw new IllegalArgumentException("must be at least 100ms");
            }
            return nanos;
        });
        Double share = v.optional(n, "warmupShare", "memory", x -> {
            double d = parseShare(x.text());
            if (d < 0 || d >= 0.9) {
                throw new IllegalArgumentException("must be between 0 and 0.9 (e.g. 0.2 or 20%)");
            }
            return d;
        });
        Double threshold = v.optional(n, "leakThreshold", "memory", x -> CriteriaParser.canonical("memory_growth",
                parseNumber(x.text()), x.text().replaceAll("^[-0-9.\\s]+", ""), x.text()));
        List<MemoryConfig.Source> sources = v.list(n, "sources", "memory",
                "at least one source, e.g. - {type: prometheus, url: /metrics, metric: process_resident_memory_bytes}",
                this::source);
        if (sources == null) {
            return null;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < sources.size(); i++) {
            if (!names.add(sources.get(i).name())) {
                v.problem(n.get("sources").items().get(i), "memory.sources[" + i + "].name", "\"" + sources.get(i).name()
                        + "\" is used twice", "give each source a distinct name");
            }
        }
        return new MemoryConfig(sources, interval == null ? MemoryConfig.DEFAULT_INTERVAL_NANOS : interval,
                share == null ? MemoryConfig.DEFAULT_WARMUP_SHARE : share,
                threshold == null ? MemoryConfig.DEFAULT_LEAK_THRESHOLD_MB_PER_HOUR : threshold);
    }

    private static double parseShare(String text) {
        String t = text.trim();
        return t.endsWith("%") ? parseNumber(t.substring(0, t.length() - 1)) / 100 : parseNumber(t);
    }

    private static double parseNumber(String text) {
        Matcher m = Pattern.compile("\\s*(-?\\d+(?:\\.\\d+)?).*").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a number");
        }
        return Double.parseDouble(m.group(1));
    }

    private MemoryConfig.Source source(Node n, String path, int index) {
        if (!v.expectMap(n, path)) {
            return null;
        }
        v.checkKeys(n, path, SOURCE_KEYS);
        String type = v.required(n, "type", path, "prometheus, process, json or node", t -> {
            String s = t.text().trim();
            if (!Set.of("prometheus", "process", "json", "node").contains(s)) {
                throw new IllegalArgumentException("\"" + s + "\" is not a source type; write prometheus, process, json "
                        + "or node");
            }
            return s;
        });
        if (type == null) {
            return null;
        }
        Boolean postGc = v.optionalBoolean(n, "postGc", path);
        if (!type.equals("process") && !type.equals("node") && n.get("evidence") != null) {
            v.problem(n.get("evidence"), path + ".evidence", "evidence needs a process or node source",
                    "classHistogram on a JVM's type: process, heapSnapshot on type: node");
        }
        for (String key : List.of("forceGc", "forceGcEvery")) {
            if (!type.equals("process") && !type.equals("node") && n.get(key) != null) {
                v.problem(n.get(key), path + "." + key, key + " needs a source loadleak can make collect",
                        "type: node (through its inspector) or type: process with a JVM's pid (through jcmd)");
            }
        }
        if (!type.equals("node") && n.get("inspect") != null) {
            v.problem(n.get("inspect"), path + ".inspect", "inspect belongs to a node source", "write type: node");
        }
        switch (type) {
            case "prometheus":
                return prometheus(n, path, postGc);
            case "json":
                return json(n, path, postGc);
            case "node":
                return node(n, path);
            default:
                return process(n, path);
        }
    }

    /** {@code forceGc} and {@code forceGcEvery}: [forced, every nanos]; forceGcEvery alone forces too. */
    private long[] forceGc(Node n, String path) {
        Boolean force = v.optionalBoolean(n, "forceGc", path);
        Long every = v.optional(n, "forceGcEvery", path, t -> {
            long nanos = Units.parseDurationNanos(t.text());
            if (nanos < 5_000_000_000L) {
                throw new IllegalArgumentException("must be at least 5s: each forced collection pauses the target");
            }
            return nanos;
        });
        if (Boolean.FALSE.equals(force) && every != null) {
            v.problem(n.get("forceGcEvery"), path + ".forceGcEvery", "forceGcEvery with forceGc: false",
                    "remove one of them");
        }
        return new long[] {Boolean.TRUE.equals(force) || every != null && force == null ? 1 : 0,
                every == null ? 0 : every};
    }

    /**
     * {@code type: node}: the inspector's address (loopback, or in serve an address --allow-target
     * lets through), forced collections, heap snapshots. The inspector runs code in the target: serve
     * refuses it without --allow-launch.
     */
    private MemoryConfig.Source node(Node n, String path) {
        String refused = confinement.launchRefusal("a node inspector source (it can run code in the target)");
        if (refused != null) {
            v.problem(n.get("inspect") != null ? n.get("inspect") : n, path + ".inspect", refused,
                    "watch the target's memory over HTTP instead: type: prometheus or json");
            return null;
        }
        String[] hostPort = v.required(n, "inspect", path, "the inspector's HOST:PORT, e.g. 127.0.0.1:9229 for a "
                + "target started with node --inspect=127.0.0.1:9229", t -> inspectAddress(t.text().trim()));
        long[] gc = forceGc(n, path);
        Boolean snapshot = v.optional(n, "evidence", path, t -> {
            if (!t.text().trim().equals("heapSnapshot")) {
                throw new IllegalArgumentException("\"" + t.text() + "\" is not an evidence of a node source; write "
                        + "heapSnapshot (V8 heap snapshots after forced collections at the scored load's start and end)");
            }
            return true;
        });
        if (hostPort == null) {
            return null;
        }
        boolean heapSnapshot = Boolean.TRUE.equals(snapshot);
        return new MemoryConfig.Node(v.optionalText(n, "name", path, "v8"), hostPort[0], Integer.parseInt(hostPort[1]),
                gc[0] == 1 || heapSnapshot, gc[1], heapSnapshot);
    }

    /** HOST:PORT of an inspector: loopback, or an address --allow-target lets through (as http://HOST:PORT). */
    private String[] inspectAddress(String text) {
        java.util.regex.Matcher m = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9.-]+):(\\d{1,5})").matcher(text);
        if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
            throw new IllegalArgumentException("\"" + text + "\" is not HOST:PORT; write e.g. 127.0.0.1:9229");
        }
        String host = m.group(1).replace("[", "").replace("]", "");
        boolean loopback = host.equals("localhost") || host.equals("::1") || host.matches("127\\.\\d+\\.\\d+\\.\\d+");
        if (!loopback && (!confinement.confined() || confinement.allowTarget() == null || confinement.targetRefusal(java.net.URI.create("http://"
                + m.group(1) + ":" + m.group(2))) != null)) {
            throw new IllegalArgumentException("the inspector can run code in the target: loadleak speaks to it on "
                    + "this machine only (127.0.0.1, ::1, localhost); forward it, e.g. kubectl port-forward POD 9229"
                    + (confinement.confined() ? ", or start serve with --allow-target http://" + m.group(1) + ":"
                    + m.group(2) : ""));
        }
        return new String[] {host.equals("localhost") ? "127.0.0.1" : host, m.group(2)};
    }

    private MemoryConfig.Source prometheus(Node n, String path, Boolean postGc) {
        String url = n.get("url") == null ? "/metrics" : v.optional(n, "url", path, this::url);
        String selector = v.required(n, "metric", path, "a metric name with optional labels, e.g. "
                + "jvm_memory_used_bytes{area=\"heap\"}", t -> t.text().trim());
        String tokenEnv = v.optional(n, "tokenEnv", path, t -> {
            String why = confinement.envRefusal(t.text().trim());
            if (why != null) {
                throw new IllegalArgumentException(why);
            }
            return t.text().trim();
        });
        String token = null;
        if (tokenEnv != null) {
            token = env.apply(tokenEnv);
            if ((token == null || token.isEmpty()) && missingEnv != null) {
                missingEnv.accept(tokenEnv);
            } else if (token == null || token.isEmpty()) {
                v.problem(n.get("tokenEnv"), path + ".tokenEnv", "environment variable " + tokenEnv + " is not set",
                        "export it, e.g. " + tokenEnv + "=... (its value is never printed)");
            } else {
                secrets.add(token);
            }
        }
        if (selector == null) {
            return null;
        }
        Matcher m = SELECTOR.matcher(selector);
        if (!m.matches()) {
            v.problem(n.get("metric"), path + ".metric", "\"" + selector + "\" is not a metric selector",
                    "write name or name{label=\"value\"}");
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(2) != null && !m.group(2).isBlank()) {
            Matcher l = LABEL.matcher(m.group(2));
            int end = 0;
            while (l.find() && l.start() == end) {
                labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
                end = l.end();
            }
            if (end != m.group(2).length()) {
                v.problem(n.get("metric"), path + ".metric", "cannot read the labels in \"" + selector + "\"",
                        "write labels as name=\"value\", separated by commas");
                return null;
            }
        }
        String name = v.optionalText(n, "name", path, selector);
        boolean post = postGc != null ? postGc : m.group(1).equals("jvm_gc_live_data_size_bytes");
        return new MemoryConfig.Prometheus(name, url, m.group(1), labels, tokenEnv, token, post);
    }

    private MemoryConfig.Source json(Node n, String path, Boolean postGc) {
        String url = v.required(n, "url", path, "the JSON endpoint, e.g. /debug/memory", this::url);
        String pointer = v.required(n, "pointer", path, "a JSON pointer, e.g. /memory/heapUsed", t -> {
            if (!t.text().startsWith("/")) {
                throw new IllegalArgumentException("\"" + t.text() + "\" is not a JSON pointer; it starts with /");
            }
            return t.text();
        });
        if (url == null || pointer == null) {
            return null;
        }
        return new MemoryConfig.Json(v.optionalText(n, "name", path, "json" + pointer), url, pointer,
                Boolean.TRUE.equals(postGc));
    }

    private MemoryConfig.Source process(Node n, String path) {
        String refused = confinement.launchRefusal("a process memory source (pid, pidfile, launch)");
        if (refused != null) {
            Node at = n.get("launch") != null ? n.get("launch") : n.get("pid") != null ? n.get("pid")
                    : n.get("pidfile") != null ? n.get("pidfile") : n;
            String key = at == n ? path : path + "." + (n.get("launch") != null ? "launch"
                    : n.get("pid") != null ? "pid" : "pidfile");
            v.problem(at, key, refused, "watch the target's memory over HTTP instead: type: prometheus or json");
            return null;
        }
        Long pid = v.optional(n, "pid", path, t -> (long) Validation.parseInt(t.text(), "pid"));
        String pidfile = n.get("pidfile") == null ? null
                : v.optional(n, "pidfile", path, t -> confinement.confined()
                        ? confinement.file(t.text().trim(), null).toString() : t.text().trim());
        String launch = v.optionalText(n, "launch", path, null);
        String health = n.get("health") == null ? null : v.optional(n, "health", path, this::url);
        int given = (pid != null ? 1 : 0) + (pidfile != null ? 1 : 0) + (launch != null ? 1 : 0);
        if (given != 1) {
            v.problem(n, path, "a process source needs exactly one of pid, pidfile, launch",
                    "e.g. launch: \"node server.js\" (loadleak starts and stops it)");
            return null;
        }
        Boolean histogram = v.optional(n, "evidence", path, t -> {
            if (!t.text().trim().equals("classHistogram")) {
                throw new IllegalArgumentException("\"" + t.text() + "\" is not an evidence; write classHistogram (a JVM "
                        + "target's heap by class, from jcmd, at the start and the end of the scored load)");
            }
            return true;
        });
        long[] gc = forceGc(n, path);
        return new MemoryConfig.Process(v.optionalText(n, "name", path, "rss"), pid, pidfile, launch, health,
                Boolean.TRUE.equals(histogram), gc[0] == 1, gc[1]);
    }
}
