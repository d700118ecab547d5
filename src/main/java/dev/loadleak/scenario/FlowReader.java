package dev.loadleak.scenario;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads {@code flows:}, {@code setup:} and {@code teardown:}. Every extracted variable is declared
 * first (so a use before its extraction is told apart from an unknown variable), then each step is
 * read with the variables that its flow's earlier steps and setup extract in scope.
 */
final class FlowReader {
    static final Set<String> FLOW_KEYS = Set.of("name", "weight", "steps", "onError", "resetEachIteration", "cookies");
    static final Set<String> STEP_KEYS;
    /** The keys of a {@code ws:} or {@code socketio:} step, which sends no HTTP request. */
    static final Set<String> REALTIME_STEP_KEYS = Set.of("name", "extract", "think", "ws", "socketio");
    static final Set<String> EXTRACT_KEYS = Set.of("json", "header", "regex", "cookie", "status", "secret");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static {
        Set<String> keys = new HashSet<>(RequestReader.KEYS);
        keys.remove("weight");
        keys.add("extract");
        keys.add("think");
        keys.add("ws");
        keys.add("socketio");
        STEP_KEYS = Set.copyOf(keys);
    }

    private final Validation v;
    private final Variables vars;
    private final RequestReader requests;
    private final RealtimeReader realtime;
    private final Map<String, Integer> slots = new LinkedHashMap<>();
    /** A flow's {@code cookies} when it does not say: {@code defaults.cookies}. */
    private final boolean cookiesByDefault;
    private Set<String> requestScope = Set.of();

    FlowReader(Validation v, Variables vars, RequestReader requests, boolean cookiesByDefault) {
        this.cookiesByDefault = cookiesByDefault;
        this.v = v;
        this.vars = vars;
        this.requests = requests;
        this.realtime = new RealtimeReader(v, requests);
    }

    /**
     * The flows of {@code root} with its setup and teardown; a {@code requests:} scenario's plan has no flows, only
     * those (it is {@link Flow.Plan#NONE} without them). Null on problems.
     */
    Flow.Plan read(Node root) {
        Node flowsNode = root.get("flows");
        Node setupNode = root.get("setup");
        Node teardownNode = root.get("teardown");
        declare(setupNode, "setup");
        if (flowsNode != null && flowsNode.kind() == Node.Kind.LIST) {
            for (int i = 0; i < flowsNode.items().size(); i++) {
                Node f = flowsNode.items().get(i);
                if (f.kind() == Node.Kind.MAP) {
                    declare(f.get("steps"), "flows[" + i + "].steps");
                }
            }
        }
        vars.declareExtracted(slots);
        int before = v.problems.size();
        Set<String> setupScope = new LinkedHashSet<>();
        List<Flow.Step> setup = setupNode == null ? List.of() : steps(setupNode, "setup", "setup", setupScope);
        requestScope = Set.copyOf(setupScope);
        List<Flow> flows = flowsNode == null ? List.of() : v.list(root, "flows", "",
                "at least one flow, e.g. - {name: browse, steps: [{path: /}]}", (n, path, i) -> flow(n, path, i, setupScope));
        List<Flow.Step> teardown = teardownNode == null ? List.of()
                : steps(teardownNode, "teardown", "teardown", new LinkedHashSet<>(setupScope));
        uniqueNames(flowsNode, "flows", "flow");
        onlyHttp(setupNode, "setup", setup);
        onlyHttp(teardownNode, "teardown", teardown);
        if (v.problems.size() > before || flows == null || setup == null || teardown == null) {
            return null;
        }
        return new Flow.Plan(flows, setup, teardown, List.copyOf(slots.keySet()));
    }

    /** The extracted variables a {@code requests:} entry may use: setup's (after {@link #read}). */
    Set<String> requestScope() {
        return requestScope;
    }

    /** Setup and teardown run once, on no user's connection: their steps are HTTP requests. */
    private void onlyHttp(Node list, String path, List<Flow.Step> steps) {
        for (int i = 0; steps != null && i < steps.size(); i++) {
            if (steps.get(i).realtime() != null) {
                v.problem(list.items().get(i), path + "[" + i + "]", "is a real-time step",
                        path + " runs once before (or after) the users, on no user's connection: send HTTP requests there");
            }
        }
    }

    /** Gives each variable extracted under {@code stepsNode} a slot and checks its name. */
    private void declare(Node stepsNode, String path) {
        if (stepsNode == null || stepsNode.kind() != Node.Kind.LIST) {
            return;
        }
        for (int i = 0; i < stepsNode.items().size(); i++) {
            Node ex = stepsNode.items().get(i).get("extract");
            if (ex == null || ex.kind() != Node.Kind.MAP) {
                continue;
            }
            for (String name : ex.entries().keySet()) {
                int[] loc = ex.keyLocation(name);
                Node at = loc == null ? ex : Node.scalar(loc[0], loc[1], name);
                String p = path + "[" + i + "].extract." + name;
                if (!NAME.matcher(name).matches()) {
                    v.problem(at, p, "\"" + name + "\" is not a variable name", "use letters, digits and _, e.g. csrfToken");
                } else if (Variables.BUILT_IN.contains(name)) {
                    v.problem(at, p, "\"" + name + "\" is the name of a built-in variable (${" + name + "...})",
                            "pick another name, e.g. " + name + "Value");
                } else {
                    slots.putIfAbsent(name, slots.size());
                }
            }
        }
    }

    private Flow flow(Node n, String path, int index, Set<String> setupScope) {
        if (!v.expectMap(n, path)) {
            return null;
        }
        v.checkKeys(n, path, FLOW_KEYS);
        String name = v.optionalText(n, "name", path, "flow-" + (index + 1));
        checkName(n.get("name"), path + ".name", name);
        Integer weight = v.optional(n, "weight", path, w -> {
            int x = Validation.parseInt(w.text(), "weight");
            if (x < 1 || x > 1_000_000) {
                throw new IllegalArgumentException("weight must be between 1 and 1000000, was " + x);
            }
            return x;
        });
        Boolean cont = v.optional(n, "onError", path, o -> switch (o.text().trim()) {
            case "abort" -> false;
            case "continue" -> true;
            default -> throw new IllegalArgumentException("must be abort (the default: the iteration ends at a failed "
                    + "step) or continue (the remaining steps are sent anyway), was \"" + o.text() + "\"");
        });
        Boolean reset = v.optionalBoolean(n, "resetEachIteration", path);
        Boolean cookies = v.optionalBoolean(n, "cookies", path);
        Node stepsNode = n.get("steps");
        if (stepsNode == null) {
            v.problem(n, path + ".steps", "is missing", "the flow's requests in order, e.g. - {name: home, path: /}");
            return null;
        }
        List<Flow.Step> steps = steps(stepsNode, path + ".steps", name, new LinkedHashSet<>(setupScope));
        if (steps == null) {
            return null;
        }
        return new Flow(name, weight == null ? 1 : weight, steps, Boolean.TRUE.equals(cont), Boolean.TRUE.equals(reset),
                cookies == null ? cookiesByDefault : cookies);
    }

    /** Reads a list of steps; {@code scope} grows with each step's extractions. */
    private List<Flow.Step> steps(Node list, String path, String flowName, Set<String> scope) {
        if (list.kind() != Node.Kind.LIST || list.items().isEmpty()) {
            v.problem(list, path, "must be a non-empty list of steps", "e.g. - {name: home, path: /}");
            return null;
        }
        List<Flow.Step> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.items().size(); i++) {
            Node s = list.items().get(i);
            String p = path + "[" + i + "]";
            vars.scope(scope);
            Flow.Step step = step(s, p, i, flowName);
            ok &= step != null;
            if (step != null) {
                out.add(step);
                step.extract().forEach(e -> scope.add(e.variable()));
            } else if (s.kind() == Node.Kind.MAP && s.get("extract") != null && s.get("extract").kind() == Node.Kind.MAP) {
                scope.addAll(s.get("extract").entries().keySet()); // one problem per cause, not one per later use
            }
        }
        vars.scope(Set.of());
        uniqueNames(list, path, "step");
        return ok ? out : null;
    }

    private Flow.Step step(Node n, String path, int index, String flowName) {
        if (n.kind() != Node.Kind.MAP) {
            v.problem(n, path, "must be a map of keys", null);
            return null;
        }
        String stepName = n.get("name") != null && n.get("name").kind() == Node.Kind.SCALAR && !n.get("name").text().isBlank()
                ? n.get("name").text().trim() : "step-" + (index + 1);
        checkName(n.get("name"), path + ".name", stepName);
        if (n.get("ws") != null || n.get("socketio") != null) {
            return realtimeStep(n, path, stepName, flowName);
        }
        RequestSpec r = requests.read(n, path, STEP_KEYS, stepName);
        List<Flow.Extraction> extract = extract(n.get("extract"), path + ".extract");
        long[] think = think(n, path);
        if (r == null || extract == null || think == null) {
            return null;
        }
        RequestSpec named = new RequestSpec(flowName + "." + stepName, r.method(), r.url(), r.headers(), r.body(), 1,
                r.expect());
        return new Flow.Step(stepName, named, extract, think[0], think[1]);
    }

    /** A {@code ws:} or {@code socketio:} step: named like a request ({@code WS} or {@code SOCKETIO} as its method). */
    private Flow.Step realtimeStep(Node n, String path, String stepName, String flowName) {
        if (n.get("ws") != null && n.get("socketio") != null) {
            v.problem(n, path, "has both ws: and socketio:", "a step speaks one protocol");
            return null;
        }
        for (String k : n.entries().keySet()) {
            if (!REALTIME_STEP_KEYS.contains(k) && STEP_KEYS.contains(k)) {
                v.problem(n.get(k), path + "." + k, "does not go with a real-time step",
                        "a ws: or socketio: step sends no HTTP request; put " + k + " in a step of its own");
            }
        }
        v.checkKeys(n, path, STEP_KEYS);
        String key = n.get("ws") != null ? "ws" : "socketio";
        Realtime action = realtime.read(n, key, path);
        List<Flow.Extraction> extract = extract(n.get("extract"), path + ".extract");
        long[] think = think(n, path);
        if (action == null || extract == null || think == null) {
            return null;
        }
        boolean answers = action instanceof Realtime.WsReceive || action instanceof Realtime.SioOn
                || action instanceof Realtime.SioEmit e && e.ack();
        for (Flow.Extraction e : extract) {
            if (!answers || (e.source() != Flow.Source.JSON && e.source() != Flow.Source.REGEX)) {
                v.problem(n.get("extract"), path + ".extract." + e.variable(), answers
                        ? "a message has no status, headers or cookies" : "this step receives nothing to extract from",
                        answers ? "extract {json: /pointer} or {regex: '...'} from the message"
                                : "extract from a receive:, an on: or an emit: with ack: true");
                return null;
            }
        }
        Template shown = action instanceof Realtime.WsConnect c ? c.path() : Template.literal(action.describe());
        RequestSpec named = new RequestSpec(flowName + "." + stepName, action.protocol().name(), shown, Map.of(), null, 1,
                null);
        return new Flow.Step(stepName, named, extract, think[0], think[1], action);
    }

    private void checkName(Node at, String path, String name) {
        if (at != null && name.contains(".")) {
            v.problem(at, path, "\"" + name + "\" has a dot", "a step's results are named FLOW.STEP: leave dots out of names");
        }
    }

    private long[] think(Node n, String path) {
        Node t = n.get("think");
        if (t == null) {
            return new long[] {0, 0};
        }
        return v.optional(n, "think", path, x -> {
            String s = x.text().trim();
            int dots = s.indexOf("..");
            long lo = Units.parseDurationNanos(dots < 0 ? s : s.substring(0, dots));
            long hi = dots < 0 ? lo : Units.parseDurationNanos(s.substring(dots + 2));
            if (hi < lo) {
                throw new IllegalArgumentException("the range " + s + " is empty; write LOW..HIGH, e.g. 1s..3s");
            }
            return new long[] {lo, hi};
        });
    }

    private List<Flow.Extraction> extract(Node n, String path) {
        if (n == null) {
            return List.of();
        }
        if (!v.expectMap(n, path)) {
            return null;
        }
        List<Flow.Extraction> out = new ArrayList<>();
        boolean ok = true;
        for (Map.Entry<String, Node> e : n.entries().entrySet()) {
            Integer slot = slots.get(e.getKey());
            Flow.Extraction x = slot == null ? null : extraction(e.getKey(), slot, e.getValue(), path + "." + e.getKey());
            ok &= x != null;
            if (x != null) {
                out.add(x);
            }
        }
        return ok ? out : null;
    }

    private Flow.Extraction extraction(String name, int slot, Node n, String path) {
        String hint = "one of {json: /pointer}, {header: Name}, {regex: 'id=(\\\\d+)'}, {cookie: NAME}, status";
        if (n.kind() == Node.Kind.SCALAR && "status".equals(n.text().trim())) {
            return new Flow.Extraction(name, Flow.Source.STATUS, "", false, slot);
        }
        if (n.kind() != Node.Kind.MAP) {
            v.problem(n, path, "must say where the value comes from", hint);
            return null;
        }
        v.checkKeys(n, path, EXTRACT_KEYS);
        List<String> sources = n.entries().keySet().stream().filter(k -> !k.equals("secret") && EXTRACT_KEYS.contains(k)).toList();
        if (sources.size() != 1) {
            v.problem(n, path, sources.isEmpty() ? "names no source" : "names " + sources.size() + " sources " + sources
                    + "; a variable takes one", hint);
            return null;
        }
        Boolean secret = v.optionalBoolean(n, "secret", path);
        String key = sources.get(0);
        Flow.Source source = Flow.Source.valueOf(key.toUpperCase(java.util.Locale.ROOT));
        String expr = v.optional(n, key, path, x -> expression(source, key, x.text()));
        if (expr == null) {
            return null;
        }
        // a status is not a secret; anything else is, unless the scenario says otherwise
        boolean isSecret = source != Flow.Source.STATUS && !Boolean.FALSE.equals(secret);
        return new Flow.Extraction(name, source, expr, isSecret, slot);
    }

    /** An extraction's expression checked for its source: a JSON pointer, a regex with a group, {@code true}, a name. */
    private static String expression(Flow.Source source, String key, String s) {
        switch (source) {
            case JSON -> {
                try {
                    JsonPointer.compile(s);
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException("\"" + s + "\" is not a JSON pointer (RFC 6901): "
                            + bad.getMessage() + "; write e.g. /data/token or /items/0/id");
                }
            }
            case REGEX -> {
                try {
                    if (Pattern.compile(s).matcher("").groupCount() < 1) {
                        throw new IllegalArgumentException("the regex \"" + s + "\" has no group; put the value "
                                + "in one, e.g. \"id\":\"([^\"]+)\"");
                    }
                } catch (PatternSyntaxException bad) {
                    throw new IllegalArgumentException("bad regex: " + bad.getDescription() + " near index "
                            + bad.getIndex() + " of \"" + s + "\"");
                }
            }
            case STATUS -> {
                if (!"true".equals(s.trim())) {
                    throw new IllegalArgumentException("write status: true (or just: status)");
                }
                return "";
            }
            default -> {
                if (s.isBlank()) {
                    throw new IllegalArgumentException("must name the " + key);
                }
                return s.trim();
            }
        }
        return s;
    }

    private void uniqueNames(Node listNode, String path, String what) {
        v.uniqueNames(listNode, path, "give each " + what + " a distinct name: reports and criteria refer to it");
    }
}
