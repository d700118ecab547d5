package dev.loadleak.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns a scenario file into a validated {@link Scenario}, or reports every problem at once, each
 * with file:line:column, the key path and a hint. Overrides (environment, then flags) are applied
 * to the file's tree first, so they are validated like the file. Nothing is mutated while
 * validating.
 */
public final class ScenarioLoader {
    static final Set<String> TOP_KEYS = Set.of("name", "target", "defaults", "preflight", "phases", "requests",
            "flows", "setup", "teardown", "criteria", "memory");
    static final Set<String> DEFAULT_KEYS = Set.of("timeout", "maxConnections", "headers", "insecure",
            "followRedirects", "http", "pipelining", "client", "maxBody", "cookies");
    static final Set<String> PREFLIGHT_KEYS = Set.of("url", "wait");
    static final int MAX_CONNECTIONS_LIMIT = 100_000;

    /** Everything from outside the file that shapes a scenario. */
    /**
     * @param missingEnv when set, an environment variable that is not set (and has no default) is
     *                   told to it instead of being a problem: {@code validate} lists them as
     *                   warnings, so that a syntax check does not need the production secrets;
     *                   null (as for {@code run}) makes each a problem
     */
    public record Options(Function<String, String> env, List<String> overrides, boolean allowLong,
                          java.util.function.Consumer<String> missingEnv, Confinement confinement) {
        public Options(Function<String, String> env, List<String> overrides, boolean allowLong) {
            this(env, overrides, allowLong, null, Confinement.NONE);
        }

        public Options(Function<String, String> env, List<String> overrides, boolean allowLong,
                       java.util.function.Consumer<String> missingEnv) {
            this(env, overrides, allowLong, missingEnv, Confinement.NONE);
        }

        /** The same options within {@code c} (a scenario posted to the service). */
        public Options confinedTo(Confinement c) {
            return new Options(env, overrides, allowLong, missingEnv, c);
        }

        public static Options defaults() {
            return new Options(System::getenv, List.of(), false);
        }

        /** The same options, telling missing environment variables to {@code missing} instead. */
        public Options toleratingMissingEnv(java.util.function.Consumer<String> missing) {
            return new Options(env, overrides, allowLong, missing, confinement);
        }
    }

    private final Validation v;
    private final Options options;
    private final Path baseDir;

    private ScenarioLoader(String file, Options options, Path baseDir) {
        this.v = new Validation(file);
        this.options = options;
        this.baseDir = baseDir;
    }

    public static Scenario load(Path path) throws InvalidScenarioException {
        return load(path, Options.defaults());
    }

    public static Scenario load(Path path, Options options) throws InvalidScenarioException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidScenarioException(List.of(new Problem(path.toString(), 0, 0, "",
                    "cannot read the scenario file: " + e.getClass().getSimpleName() + " " + e.getMessage(),
                    "check the path")));
        }
        Path dir = path.toAbsolutePath().getParent();
        return parse(path.toString(), text, options, dir == null ? Path.of(".") : dir);
    }

    public static Scenario parse(String file, String text) throws InvalidScenarioException {
        return parse(file, text, Options.defaults(), Path.of("."));
    }

    public static Scenario parse(String file, String text, Options options, Path baseDir) throws InvalidScenarioException {
        Node root = TreeReader.read(file, text);
        if (root.kind() == Node.Kind.MAP && !options.overrides().isEmpty()) {
            try {
                Overrides.apply(root, options.overrides());
            } catch (IllegalArgumentException e) {
                throw new InvalidScenarioException(List.of(new Problem("(override)", 0, 0, "", e.getMessage(),
                        "overrides come from --set, --target, LOADLEAK_SET and LOADLEAK_TARGET")));
            }
        }
        ScenarioLoader l = new ScenarioLoader(file, options, baseDir);
        Scenario s = l.scenario(root);
        if (!l.v.problems.isEmpty()) {
            throw new InvalidScenarioException(l.v.problems);
        }
        Scenario.Origin origin = new Scenario.Origin(file, text, baseDir.toAbsolutePath().toString(),
                List.copyOf(options.overrides()), options.allowLong(), null);
        return new Scenario(s.name(), s.source(), s.target(), s.defaults(), s.preflight(), s.phases(), s.requests(),
                s.criteria(), s.memory(), s.secrets(), s.flows(), origin);
    }

    private Scenario scenario(Node root) {
        if (root.kind() != Node.Kind.MAP) {
            v.problem(root, "", "a scenario is a map of keys (name, target, phases, requests, ...)", "see scenarios/README.md");
            return null;
        }
        v.checkKeys(root, "", TOP_KEYS);
        if (!Limits.check(root, v)) {
            return null;
        }
        Variables vars = new Variables(options.env(), baseDir, options.missingEnv(), options.confinement());
        String name = v.optionalText(root, "name", "", "scenario");
        URI target = v.required(root, "target", "", "the base URL of the API under test, e.g. http://127.0.0.1:8080",
                this::parseTarget);
        Defaults defaults = new DefaultsReader(v, options.confinement()).read(root.get("defaults"), vars);
        Preflight preflight = preflight(root.get("preflight"));
        int maxConnections = defaults == null ? Defaults.DEFAULT_MAX_CONNECTIONS : defaults.maxConnections();
        PhaseReader phaseReader = new PhaseReader(v, maxConnections, options.allowLong());
        List<Phase> phases = v.list(root, "phases", "",
                "at least one phase, e.g. - {name: steady, duration: 30s, rate: 50/s}", phaseReader::read);
        RequestReader requestReader = new RequestReader(v, vars);
        FlowReader flowReader = new FlowReader(v, vars, requestReader, defaults == null || defaults.cookies());
        Flow.Plan flows = flowReader.read(root);
        List<RequestSpec> requests;
        if (root.get("flows") != null) {
            if (root.get("requests") != null) {
                v.problem(root.get("requests"), "requests", "a scenario has requests: or flows:, not both",
                        "a request is a one-step flow: move it into flows: as - {name: NAME, steps: [REQUEST]}");
            }
            requests = flows == null ? null : flows.flows().stream().flatMap(f -> f.steps().stream())
                    .map(Flow.Step::request).toList();
        } else {
            vars.scope(flowReader.requestScope()); // a request may send what setup: extracted
            requests = v.list(root, "requests", "",
                    "at least one request, e.g. - {name: list, path: /api/items}, or flows:", requestReader::read);
            vars.scope(Set.of());
        }
        uniqueNames(root.get("phases"), "phases");
        uniqueNames(root.get("requests"), "requests");
        Set<String> secrets = new LinkedHashSet<>(vars.secrets());
        MemoryConfig memory = new MemoryReader(v, options.env(), secrets, options.missingEnv(), options.confinement()).read(root.get("memory"));
        Set<String> requestNames = root.get("flows") != null && requests != null
                ? requests.stream().map(RequestSpec::name).collect(Collectors.toSet()) : names(root.get("requests"));
        Set<String> flowNames = flows == null ? Set.of() : flows.flows().stream().map(Flow::name)
                .collect(Collectors.toSet());
        List<Criterion> criteria = criteria(root.get("criteria"), requestNames, names(root.get("phases")), memory,
                flowNames);
        if (phases != null && phases.stream().allMatch(Phase::warmup)) {
            v.problem(root.get("phases"), "phases", "every phase is a warm-up, so nothing would be scored",
                    "mark only the first phase(s) warmup: true");
        }
        secrets.addAll(vars.secrets());
        if (!v.problems.isEmpty()) {
            return null;
        }
        return new Scenario(name, v.file, target, defaults, preflight, phases, requests, criteria, memory, secrets,
                flows);
    }

    private static URI parse(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"" + url + "\" is not a URL (" + e.getReason() + ")");
        }
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
        options.confinement().requireTarget(u);
        return u;
    }

    private Preflight preflight(Node n) {
        if (n == null) {
            return null;
        }
        if (!v.expectMap(n, "preflight")) {
            return null;
        }
        v.checkKeys(n, "preflight", PREFLIGHT_KEYS);
        String url = v.required(n, "url", "preflight", "a health URL such as /health", x -> {
            String s = x.text().trim();
            Confinement.checkUrlShape(s);
            if (!s.startsWith("/")) {
                options.confinement().requireTarget(parse(s));
            }
            return s;
        });
        Long wait = v.optional(n, "wait", "preflight", x -> Units.parseDurationNanos(x.text()));
        return url == null ? null : new Preflight(url, wait == null ? Preflight.DEFAULT_WAIT_NANOS : wait);
    }

    private List<Criterion> criteria(Node n, Set<String> requests, Set<String> phases, MemoryConfig memory,
                                     Set<String> flows) {
        List<Criterion> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        boolean hasProm = memory != null && memory.sources().stream().anyMatch(s -> s instanceof MemoryConfig.Prometheus);
        Set<String> sources = new HashSet<>();
        if (memory != null) {
            memory.sources().forEach(src -> sources.add(src.name()));
        }
        return criteria(v, n, new CriteriaParser.Context(requests, phases, sources, hasProm, flows));
    }

    /**
     * Reads only the {@code criteria:} block of a file (a scenario, or a file with just criteria),
     * for re-scoring a saved run against {@code ctx}.
     */
    public static List<Criterion> loadCriteria(Path path, CriteriaParser.Context ctx) throws InvalidScenarioException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidScenarioException(List.of(new Problem(path.toString(), 0, 0, "",
                    "cannot read the criteria file: " + e.getClass().getSimpleName() + " " + e.getMessage(), "check the path")));
        }
        Node root = TreeReader.read(path.toString(), text);
        Validation v = new Validation(path.toString());
        if (root.kind() != Node.Kind.MAP || root.get("criteria") == null) {
            v.problem(root, "criteria", "is missing", "a criteria file has a criteria: block with required: and target: lists");
            throw new InvalidScenarioException(v.problems);
        }
        List<Criterion> out = criteria(v, root.get("criteria"), ctx);
        if (!v.problems.isEmpty()) {
            throw new InvalidScenarioException(v.problems);
        }
        return out;
    }

    private static List<Criterion> criteria(Validation v, Node n, CriteriaParser.Context ctx) {
        List<Criterion> out = new ArrayList<>();
        if (!v.expectMap(n, "criteria")) {
            return out;
        }
        v.checkKeys(n, "criteria", Set.of("required", "target"));
        for (String level : List.of("required", "target")) {
            Node list = n.get(level);
            if (list == null) {
                continue;
            }
            String path = "criteria." + level;
            if (list.kind() != Node.Kind.LIST) {
                v.problem(list, path, "must be a list of criteria", "e.g. - p95 < 500ms");
                continue;
            }
            for (int i = 0; i < list.items().size(); i++) {
                Node item = list.items().get(i);
                String ip = path + "[" + i + "]";
                Written w;
                if (item.kind() == Node.Kind.MAP) {
                    w = written(v, item, ip, level);
                } else if (item.kind() != Node.Kind.SCALAR) {
                    v.problem(item, ip, "must be a criterion such as p95 < 500ms", null);
                    continue;
                } else {
                    w = new Written(item.text(), 1, false, null, item);
                }
                if (w.text() == null) {
                    continue;
                }
                try {
                    Criterion c = CriteriaParser.parse(w.text(), level.equals("required") ? Criterion.Level.REQUIRED
                            : Criterion.Level.TARGET, w.weight(), ctx);
                    out.add(w.abort() && level.equals("required") ? c.abortingOnFail(w.delay() == null ? 0 : w.delay()) : c);
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    v.problem(w.node(), ip, e.getMessage(), null);
                }
            }
        }
        return out;
    }

    /** A criterion as written: its text, weight, abortOnFail and delay, and the node its text came from. */
    private record Written(String text, double weight, boolean abort, Double delay, Node node) {
    }

    /** A criterion written as a map ({@code {expr: p95 < 5ms, abortOnFail: true, delay: 2s, weight: 2}}). */
    private static Written written(Validation v, Node item, String ip, String level) {
        v.checkKeys(item, ip, Set.of("check", "expr", "weight", "abortOnFail", "delay"));
        String key = item.get("expr") != null && item.get("check") == null ? "expr" : "check";
        String text = v.required(item, key, ip, "the criterion, e.g. p95 < 500ms", Node::text);
        Boolean a = v.optional(item, "abortOnFail", ip, x -> switch (x.text()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        });
        boolean abort = a != null && a;
        Double delay = v.optional(item, "delay", ip, x -> Units.parseDurationNanos(x.text()) / 1e9);
        if (abort && level.equals("target")) {
            v.problem(item.get("abortOnFail"), ip + ".abortOnFail", "only a required criterion can stop the "
                    + "run", "move it to required:, or drop abortOnFail");
        }
        if (delay != null && !abort) {
            v.problem(item.get("delay"), ip + ".delay", "applies only with abortOnFail: true", null);
        }
        Double w = v.optional(item, "weight", ip, x -> {
            double d = Double.parseDouble(x.text());
            if (!(d > 0) || d > 1000) {
                throw new IllegalArgumentException("weight must be more than 0 and at most 1000");
            }
            return d;
        });
        return new Written(text, w == null ? 1 : w, abort, delay, item.get(key) == null ? item : item.get(key));
    }

    private static Set<String> names(Node list) {
        Set<String> out = new HashSet<>();
        if (list != null && list.kind() == Node.Kind.LIST) {
            for (int i = 0; i < list.items().size(); i++) {
                Node item = list.items().get(i);
                Node name = item.get("name");
                boolean isRequests = item.get("path") != null;
                out.add(name != null && name.text() != null ? name.text().trim()
                        : (isRequests ? "request-" : "phase-") + (i + 1));
            }
        }
        return out;
    }

    private void uniqueNames(Node listNode, String path) {
        v.uniqueNames(listNode, path, "give each a distinct name: reports and criteria refer to it");
    }

    /** All keys a scenario may have at each level, for documentation tests. */
    public static Map<String, Set<String>> allKeys() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("", TOP_KEYS);
        m.put("defaults", DEFAULT_KEYS);
        m.put("preflight", PREFLIGHT_KEYS);
        m.put("phases[]", PhaseReader.KEYS);
        m.put("requests[]", RequestReader.KEYS);
        m.put("requests[].multipart", RequestReader.MULTIPART_KEYS);
        m.put("requests[].expect", RequestReader.EXPECT_KEYS);
        m.put("flows[]", FlowReader.FLOW_KEYS);
        m.put("flows[].steps[]", FlowReader.STEP_KEYS);
        m.put("flows[].steps[].extract.*", FlowReader.EXTRACT_KEYS);
        m.put("flows[].steps[].ws", RealtimeReader.WS_KEYS);
        m.put("flows[].steps[].socketio", RealtimeReader.SOCKETIO_KEYS);
        m.put("flows[].steps[].ws.receive", RealtimeReader.RECEIVE_KEYS);
        m.put("memory", MemoryReader.KEYS);
        m.put("memory.sources[]", MemoryReader.SOURCE_KEYS);
        return m.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue,
                (a, b) -> a, LinkedHashMap::new));
    }
}
